import type { Request } from 'express';
import { AppError } from '../http/errors.js';
import type { Principal } from './policy.js';
import type { Role } from './roles.js';

/** The signed-in staff member as requests see it (loaded per request; never the password hash). */
export interface AuthUser extends Principal {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  departmentId: string | null;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  /** The municipality requires a second factor for this user's roles and none is enrolled yet. */
  totpEnrolmentRequired: boolean;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends AuthUser {}
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    authMethod?: 'session' | 'token';
  }
}

export function principalOf(req: Request): AuthUser {
  if (!req.user) throw new AppError('unauthenticated', 'サインインが必要です', 401);
  return req.user;
}
