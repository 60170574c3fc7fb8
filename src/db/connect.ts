import mongoose from 'mongoose';
import path from 'node:path';
import type { Config } from '../config.js';
import { acquireDataDirLock, runningDatabase, type DataDirLock, type LockInfo } from './data-dir.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.js';

// Input is data: `{ "$gt": "" }` arriving in a filter is matched literally, never run as an operator.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);
// Commands fail at once while the database is away (503), instead of queueing for 10 s.
mongoose.set('bufferCommands', false);

export const DEFAULT_DB_NAME = 'itaku';

export interface DatabaseHandle {
  uri: string;
  dbName: string;
  embedded?: EmbeddedDatabase;
  /** Closes the connection and, if this process started it, the embedded database. */
  close(): Promise<void>;
}

/** Connection options tuned so an outage is noticed within ~2 s and recovery is found by itself. */
export const connectionOptions = {
  serverSelectionTimeoutMS: 1500,
  connectTimeoutMS: 2000,
  heartbeatFrequencyMS: 1000,
  autoIndex: false,
  autoCreate: false,
} as const;

function withDirectConnection(uri: string): string {
  return uri + (uri.includes('?') ? '&' : '?') + 'directConnection=true';
}

/**
 * Resolves where the database is: MONGODB_URI when set (nothing embedded starts), else the embedded FerretDB of
 * DATA_DIR — reusing the one a running service started (the CLI beside a service), or starting it under the DATA_DIR
 * lock. Then connects mongoose's default connection.
 */
export async function openDatabase(config: Pick<Config, 'mongodbUri' | 'dataDir'>, role: LockInfo['role'], log?: (line: string) => void): Promise<DatabaseHandle> {
  let uri: string;
  let dbName = DEFAULT_DB_NAME;
  let embedded: EmbeddedDatabase | undefined;
  let lock: DataDirLock | undefined;

  if (config.mongodbUri) {
    uri = config.mongodbUri;
    const explicitDb = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri)?.[1];
    if (explicitDb) dbName = decodeURIComponent(explicitDb);
  } else {
    const running = role === 'cli' ? runningDatabase(config.dataDir) : null;
    if (running?.uri) {
      uri = withDirectConnection(running.uri);
    } else {
      lock = await acquireDataDirLock(config.dataDir, role);
      try {
        embedded = await startEmbeddedDatabase({ dir: path.join(config.dataDir, 'ferretdb'), log });
        lock.update({ uri: embedded.uri, databasePid: embedded.pid });
      } catch (err) {
        lock.release();
        throw err;
      }
      uri = withDirectConnection(embedded.uri);
    }
  }

  try {
    await mongoose.connect(uri, { dbName, ...connectionOptions });
  } catch (err) {
    await embedded?.stop();
    lock?.release();
    throw err;
  }
  return {
    uri,
    dbName,
    embedded,
    async close() {
      await mongoose.disconnect();
      await embedded?.stop();
      lock?.release();
    },
  };
}

/** True for errors that mean "the database is not reachable now" (mapped to 503), as opposed to a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const name = (err as { name?: string }).name ?? '';
  const message = (err as { message?: string }).message ?? '';
  // The driver sometimes lets a raw socket error through (seen here: `write EPIPE` while FerretDB stopped). The service
  // makes no other outbound connections, so a socket error is the database's.
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && ['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ENOTCONN', 'ETIMEDOUT'].includes(code) && typeof (err as { syscall?: unknown }).syscall === 'string') return true;
  return (
    /MongoServerSelectionError|MongoNetworkError|MongoNetworkTimeoutError|MongoNotConnectedError|MongoTopologyClosedError|MongoPoolClearedError/.test(name) ||
    (name === 'MongooseError' && /buffering|before initial connection|Connection was force closed|not connected/i.test(message)) ||
    (name === 'MongooseServerSelectionError')
  );
}

/** Pings the database with a short bound; false when it does not answer. */
export async function databaseAnswers(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db) return false;
  try {
    await db.admin().command({ ping: 1 }, { timeoutMS: 1500 });
    return true;
  } catch {
    return false;
  }
}
