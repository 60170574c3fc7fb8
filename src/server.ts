import http from 'node:http';
import os from 'node:os';
import crypto from 'node:crypto';
import { beat, forgetInstance, HEARTBEAT_MS } from './backup/pause.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { openDatabase, type DatabaseHandle } from './db/connect.js';
import { DataDirLocked } from './db/data-dir.js';
import { withDevelopmentSecrets } from './server-config.js';
import { EmbeddedDatabaseUnavailable } from './db/ferretdb-build.js';
import { createApp } from './app.js';
import { loadAppContent, type AppContent } from './content.js';
import { completePendingRevisions } from './db/versioned.js';
import { completePendingHandovers } from './handover/index.js';
import { prepareDatabase } from './db/prepare.js';
import { sweepExpiredSessions } from './auth/session.js';
import { sweepFailures } from './auth/throttle.js';
import { runReminders } from './assessments/reminders.js';
import { completeAllDecisionConditions } from './decisions/decide.js';
import { closeParsePool, completePendingImports } from './workbook/index.js';
import { SYSTEM } from './audit/actor.js';

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = withDevelopmentSecrets(loadConfig());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  let content: AppContent;
  try {
    content = loadAppContent(config.contentDir);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  let db: DatabaseHandle;
  try {
    db = await openDatabase(config, 'service', (line) => logger.info(line));
  } catch (err) {
    if (err instanceof EmbeddedDatabaseUnavailable || err instanceof DataDirLocked) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  await prepareDatabase();
  const rolledForward = (await completePendingRevisions(0)) + (await completePendingHandovers(0)) + (await completePendingImports());
  if (rolledForward) logger.warn({ rolledForward }, 'completed changes interrupted by an earlier stop');
  const decisions = await completeAllDecisionConditions(SYSTEM);
  if (decisions) logger.warn({ decisions }, 'completed decision conditions interrupted by an earlier stop');

  const app = createApp({ config, logger, content });
  const server = http.createServer(app);
  server.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port, database: db.embedded ? 'embedded FerretDB' : 'MONGODB_URI' }, `Itaku を起動しました: http://localhost:${port}/`);
  });

  const remind = () => runReminders().catch((err: unknown) => logger.warn({ err }, 'reminder run failed'));
  void remind();
  const reminders = setInterval(remind, 5 * 60_000);
  reminders.unref();
  const instanceId = `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  const heartbeat = () => beat(instanceId).catch((err: unknown) => logger.debug({ err }, 'heartbeat failed'));
  void heartbeat();
  const heartbeats = setInterval(heartbeat, HEARTBEAT_MS);
  heartbeats.unref();
  const sweep = setInterval(() => {
    Promise.all([completePendingRevisions().then(() => completePendingHandovers()).then(() => completePendingImports({ olderThanMs: 60_000 })), sweepExpiredSessions(), sweepFailures()]).catch((err: unknown) => logger.warn({ err }, 'periodic sweep failed'));
  }, 60_000);
  sweep.unref();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    clearInterval(sweep);
    clearInterval(reminders);
    clearInterval(heartbeats);
    const force = setTimeout(() => {
      logger.warn('requests still open after 10 s: closing them');
      server.closeAllConnections();
    }, 10_000);
    force.unref();
    server.close(() => {
      forgetInstance(instanceId)
        .catch(() => undefined)
        .then(() => closeParsePool())
        .then(() => db.close())
        .then(() => {
          logger.info('stopped');
          process.exit(0);
        })
        .catch((err: unknown) => {
          logger.error({ err }, 'error while stopping the database');
          process.exit(1);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`起動できませんでした / start-up failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
