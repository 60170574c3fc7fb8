import session from 'express-session';
import MongoStore from 'connect-mongo';
import mongoose from 'mongoose';
import passport from 'passport';
import type { Express, RequestHandler } from 'express';
import type { Config } from '../config.js';
import { getSettings } from '../settings/index.js';
import { userStore, type User } from './user.model.js';
import { PRIVILEGED_ROLES } from './roles.js';
import type { AuthUser } from './principal.js';

export const SESSION_COOKIE = 'itaku.sid';
/** Idle timeout: a session unused for this long ends. */
export const SESSION_IDLE_MS = 8 * 60 * 60_000;
/** Absolute limit from sign-in, however active the session. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;

declare module 'express-session' {
  interface SessionData {
    csrfToken: string;
    loginAt: number;
  }
}

/** What a request sees of a user; `null` when the account cannot act (disabled, archived). */
export async function toAuthUser(user: User | null): Promise<AuthUser | null> {
  if (!user || user.disabled || user.archivedAt) return null;
  const settings = await getSettings();
  const totpEnabled = Boolean(user.totp?.enabled);
  return {
    id: user._id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    departmentId: user.departmentId ?? null,
    mustChangePassword: user.mustChangePassword,
    totpEnabled,
    totpEnrolmentRequired: settings.totpRequired && !totpEnabled && user.roles.some((r) => PRIVILEGED_ROLES.includes(r)),
  };
}

/**
 * Sessions live in the database (connect-mongo on mongoose's own client), so every instance shares them. connect-mongo's
 * TTL index is refused by FerretDB and its 'interval' removal uses w:0: removal is off and `sweepExpiredSessions` runs
 * on a timer instead.
 */
export function installSessions(app: Express, config: Readonly<Config>): void {
  // Built on the first request: by then mongoose is connected, and its client and database name are known
  // (createApp may run before the connection opens, as in tests).
  let middleware: RequestHandler | undefined;
  app.use((req, res, next) => {
    middleware ??= session({
      name: SESSION_COOKIE,
      secret: config.sessionSecret!,
      store: MongoStore.create({
        client: mongoose.connection.getClient() as never,
        dbName: mongoose.connection.name,
        collectionName: 'sessions',
        autoRemove: 'disabled',
        ttl: SESSION_IDLE_MS / 1000,
        touchAfter: 60,
        stringify: false,
      }),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      // Not 'destroy': express-session then deletes the stored session at the end of any request whose session could
      // not be loaded (req.session is unset) — during a database outage that signed every user out once it returned.
      unset: 'keep',
      proxy: config.trustProxy !== false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.isProduction, maxAge: SESSION_IDLE_MS, path: '/' },
    });
    middleware(req, res, next);
  });
  passport.serializeUser((user, done) => done(null, (user as AuthUser).id));
  passport.deserializeUser((id: string, done) => {
    userStore
      .get(id)
      .then(toAuthUser)
      .then((u) => done(null, u ?? false))
      .catch((err: unknown) => done(err));
  });
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(absoluteLimit);
}

const absoluteLimit: RequestHandler = (req, _res, next) => {
  if (req.session?.loginAt && Date.now() - req.session.loginAt > SESSION_ABSOLUTE_MS) {
    req.session.destroy(() => next());
    delete req.user;
    return;
  }
  next();
};

/** Deletes expired sessions (the store's own removal cannot run on FerretDB). */
export async function sweepExpiredSessions(now = new Date()): Promise<number> {
  const r = await mongoose.connection.db!.collection('sessions').deleteMany({ expires: { $lt: now } });
  return r.deletedCount;
}
