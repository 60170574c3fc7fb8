import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

/**
 * scrypt (memory-hard, in Node's own crypto: no native add-on to build). N=2^15, r=8 uses 32 MiB per hash; the
 * parameters are stored with each hash so they can be raised later without invalidating old ones.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 1, keylen: 32 };
const MAXMEM = 64 * 1024 * 1024;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, PARAMS.keylen, { N: PARAMS.N, r: PARAMS.r, p: PARAMS.p, maxmem: MAXMEM });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: MAXMEM });
  return crypto.timingSafeEqual(key, expected);
}

/** A hash to compare against when the account does not exist, so a wrong email costs the same time as a wrong password. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummy;
}

type Checker = (password: string, userInputs: string[]) => { score: number; common: boolean };
let checker: Promise<Checker> | undefined;

/** Loaded on first use: the common-password list (~49,000 entries, shipped in the package) and a strength estimator. */
function loadChecker(): Promise<Checker> {
  checker ??= (async () => {
    const [{ ZxcvbnFactory }, { dictionary, adjacencyGraphs }] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]);
    const common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
    const zxcvbn = new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
    return (password: string, userInputs: string[]) => ({
      score: zxcvbn.check(password, userInputs).score,
      common: common.has(password.toLowerCase()),
    });
  })();
  return checker;
}

/** Why a new password is refused, or null when it is acceptable. Messages are shown to the user as they are. */
export async function passwordProblem(password: string, userInputs: string[] = []): Promise<string | null> {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `パスワードは${MIN_PASSWORD_LENGTH}文字以上にしてください`;
  if (password.length > MAX_PASSWORD_LENGTH) return `パスワードは${MAX_PASSWORD_LENGTH}文字以内にしてください`;
  const check = (await loadChecker())(password, userInputs.filter(Boolean));
  if (check.common) return 'よく使われているパスワードのため使用できません';
  if (check.score < 3) return '推測されやすいパスワードです。単語の組み合わせを長くするなど、推測されにくいものにしてください';
  return null;
}
