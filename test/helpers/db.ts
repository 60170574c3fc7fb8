import mongoose from 'mongoose';
import path from 'node:path';
import crypto from 'node:crypto';
import { after, before } from 'node:test';
import { connectionOptions } from '../../src/db/connect.js';
import { prepareDatabase } from '../../src/db/prepare.js';

/** The server the test runner prepared (embedded FerretDB, or MONGODB_URI). */
export function testServerUri(): string {
  const uri = process.env.ITAKU_TEST_MONGODB_URI;
  if (!uri) throw new Error('ITAKU_TEST_MONGODB_URI is not set: run the suite with `npm test` (it starts the database)');
  return uri;
}

/** A database name of its own for this test file (and process), so files run in parallel without meeting. */
export function uniqueDbName(label = path.basename(process.argv[1] ?? 'test')): string {
  const base = label.replace(/\.test\.ts$/, '').replace(/[^A-Za-z0-9]/g, '_').slice(0, 30);
  return `t_${base}_${crypto.randomBytes(4).toString('hex')}`;
}

/**
 * Connects mongoose to a fresh database for this test file, creates the declared indexes, and drops the database at
 * the end. Call once at the top of a test file.
 */
export function useTestDatabase(): { dbName: string } {
  const dbName = uniqueDbName();
  before(async () => {
    // A generous selection timeout: several test files connect at once on a 2-core machine.
    await mongoose.connect(testServerUri(), { dbName, ...connectionOptions, serverSelectionTimeoutMS: 20_000 });
    await prepareDatabase();
  });
  after(async () => {
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });
  return { dbName };
}
