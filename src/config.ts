import { z } from 'zod';
import path from 'node:path';

/**
 * The only reader of process.env. Everything is parsed once at start-up; every bad variable is named in one error so
 * an operator fixes them all in one go. Secrets that development may generate are resolved later (db/data-dir.ts),
 * because generating them needs DATA_DIR.
 */
const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'mongodb:// または mongodb+srv:// で始まる接続文字列を指定してください')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SESSION_SECRET: z.string().min(32, '32文字以上の乱数を指定してください').optional(),
  ITAKU_DATA_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '64桁の16進数（32バイト）を指定してください（例: openssl rand -hex 32）')
    .optional(),
  PUBLIC_BASE_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'http:// または https:// で始まるURLを指定してください')
    .optional(),
  TRUST_PROXY: z.string().optional(),
  CONTENT_DIR: z.string().min(1).optional(),
  LOG_LEVEL: LogLevel.optional(),
});

export type TrustProxy = boolean | number | string;

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  isProduction: boolean;
  port: number;
  mongodbUri: string | undefined;
  dataDir: string;
  sessionSecret: string | undefined;
  dataKey: Buffer | undefined;
  publicBaseUrl: string | undefined;
  trustProxy: TrustProxy;
  contentDir: string | undefined;
  logLevel: z.infer<typeof LogLevel>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`設定が正しくありません / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Express's `trust proxy` accepts a boolean, a hop count or a list of addresses/subnets. */
function parseTrustProxy(raw: string | undefined): TrustProxy {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const blankToUndefined = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
  const parsed = Env.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  const problems: string[] = [];
  if (isProduction) {
    if (!e.SESSION_SECRET) problems.push('SESSION_SECRET: 本番環境（NODE_ENV=production）では必須です');
    if (!e.ITAKU_DATA_KEY) problems.push('ITAKU_DATA_KEY: 本番環境（NODE_ENV=production）では必須です');
    if (!e.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL: 本番環境（NODE_ENV=production）では必須です（事業者向けリンクの生成に使います）');
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    mongodbUri: e.MONGODB_URI,
    dataDir: path.resolve(e.DATA_DIR),
    sessionSecret: e.SESSION_SECRET,
    dataKey: e.ITAKU_DATA_KEY ? Buffer.from(e.ITAKU_DATA_KEY, 'hex') : undefined,
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    contentDir: e.CONTENT_DIR ? path.resolve(e.CONTENT_DIR) : undefined,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
  });
}
