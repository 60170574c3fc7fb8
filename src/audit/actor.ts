import type { Request } from 'express';

/** Who did something: a signed-in user, an access token's owner, a vendor through a link, the CLI or the system. */
export interface Actor {
  kind: 'user' | 'vendor' | 'cli' | 'system' | 'anonymous';
  /** User id, assessment id for a vendor link, or a fixed name for cli/system. */
  id: string;
  name?: string;
  /** Set when a user acted through a personal access token. */
  tokenId?: string;
}

export interface WriteContext {
  actor: Actor;
  /** Client address as Express sees it (TRUST_PROXY respected). */
  ip?: string;
}

export const SYSTEM: WriteContext = { actor: { kind: 'system', id: 'system', name: 'Itaku' } };

export function cliContext(name = 'cli'): WriteContext {
  return { actor: { kind: 'cli', id: name, name: `CLI (${process.env.USER ?? 'unknown'})` } };
}

/** The actor of a request; auth installs `req.actor`, anonymous otherwise. */
export function contextOf(req: Request): WriteContext {
  return { actor: req.actor ?? { kind: 'anonymous', id: 'anonymous' }, ip: req.ip };
}

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}
