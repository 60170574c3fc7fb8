import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import crypto from 'node:crypto';

/** The real application, configured as in development but with fixed secrets and silent logs. */
export function testApp(overrides: Record<string, string> = {}) {
  const config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    ITAKU_DATA_KEY: crypto.randomBytes(32).toString('hex'),
    PUBLIC_BASE_URL: 'http://itaku.test',
    ...overrides,
  });
  return createApp({ config, logger: createLogger('silent') });
}
