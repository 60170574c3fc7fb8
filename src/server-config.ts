import type { Config } from './config.js';
import { developmentSecrets } from './db/data-dir.js';

/** Development generates the secrets production must set, once, into DATA_DIR. */
export function withDevelopmentSecrets(config: Readonly<Config>): Readonly<Config> {
  if (config.sessionSecret && config.dataKey) return config;
  const secrets = developmentSecrets(config.dataDir);
  return Object.freeze({
    ...config,
    sessionSecret: config.sessionSecret ?? secrets.sessionSecret,
    dataKey: config.dataKey ?? Buffer.from(secrets.dataKey, 'hex'),
  });
}

