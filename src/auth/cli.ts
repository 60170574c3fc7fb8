import readline from 'node:readline';
import { cliContext } from '../audit/actor.js';
import { registerCommands, CliError } from '../cli/commands.js';
import { AppError } from '../http/errors.js';
import { DepartmentModel, departmentStore } from '../org/index.js';
import { ROLES, type Role } from './roles.js';
import { UserModel, userStore, type User } from './user.model.js';
import { createUser, findUserByEmail, resetPassword, updateUser } from './users.commands.js';

async function promptPassword(label: string): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError('パスワードを環境変数 ITAKU_PASSWORD で渡すか、端末から実行してください / set ITAKU_PASSWORD or run in a terminal', 2);
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stderr.write(label);
  muted._writeToOutput = () => undefined; // do not echo the password
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

async function passwordFromEnvOrPrompt(): Promise<string> {
  if (process.env.ITAKU_PASSWORD) return process.env.ITAKU_PASSWORD;
  const first = await promptPassword('パスワード / password: ');
  const second = await promptPassword('もう一度 / again: ');
  if (first !== second) throw new CliError('パスワードが一致しません / the passwords differ', 2);
  return first;
}

function parseRoles(raw: string | boolean | undefined): Role[] {
  if (typeof raw !== 'string' || !raw) throw new CliError(`--role を指定してください（${ROLES.join(', ')}）`, 2);
  const roles = raw.split(',').map((r) => r.trim());
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length) throw new CliError(`不明な役割 / unknown role: ${bad.join(', ')}（${ROLES.join(', ')}）`, 2);
  return roles as Role[];
}

/** A department given by its code or its id. */
async function resolveDepartment(raw: string | boolean | undefined): Promise<string | null> {
  if (typeof raw !== 'string' || !raw) return null;
  if (/^[0-9a-f]{24}$/.test(raw) && (await departmentStore.get(raw))) return raw;
  const byCode = await DepartmentModel.findOne({ code: raw, archivedAt: null }).lean();
  if (!byCode) throw new CliError(`部署が見つかりません / no department with code or id ${raw}`, 2);
  return byCode._id;
}

async function userByEmail(raw: string | boolean | undefined): Promise<User> {
  if (typeof raw !== 'string' || !raw) throw new CliError('--email を指定してください', 2);
  const user = await findUserByEmail(raw);
  if (!user) throw new CliError(`利用者が見つかりません / no user ${raw}`, 1);
  return user;
}

function explain(err: unknown): never {
  if (err instanceof AppError) {
    const fields = err.details?.map((d) => `  ${d.path}: ${d.message}`).join('\n');
    throw new CliError(`${err.message}${fields ? `\n${fields}` : ''}`, 1);
  }
  throw err;
}

registerCommands({
  'user:add': {
    summary: '利用者を追加（最初の管理者もこれで作成） / add a staff account; --email E --name N --role R[,R2] [--department D]',
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, department: { type: 'string' } },
    async run({ values, out }) {
      if (typeof values.email !== 'string' || typeof values.name !== 'string') throw new CliError('--email と --name を指定してください', 2);
      const roles = parseRoles(values.role);
      const departmentId = await resolveDepartment(values.department);
      const password = await passwordFromEnvOrPrompt();
      const user = await createUser(cliContext('user:add'), { email: values.email, name: values.name, roles, departmentId, password }).catch(explain);
      out.write(`追加しました / added: ${user.email} (${user.roles.join(', ')}) id=${user._id}\n`);
      return 0;
    },
  },
  'user:list': {
    summary: '利用者の一覧 / list staff accounts',
    async run({ out }) {
      const users = await userStore.rollForward((await UserModel.find().sort({ email: 1 }).lean()) as User[]);
      for (const u of users) {
        out.write(`${u.email}\t${u.name}\t${u.roles.join(',')}\t${u.departmentId ?? '-'}\t${u.disabled ? 'disabled' : 'active'}${u.totp?.enabled ? '\t2FA' : ''}\n`);
      }
      if (users.length === 0) out.write('利用者はまだいません。npm run cli -- user:add で最初の管理者を作成してください。\n');
      return 0;
    },
  },
  'user:disable': {
    summary: '利用者を無効化（サインインとトークンを停止） / disable an account; --email E',
    options: { email: { type: 'string' } },
    async run({ values, out }) {
      const user = await userByEmail(values.email);
      await updateUser(cliContext('user:disable'), user._id, user.version, { disabled: true }).catch(explain);
      out.write(`無効化しました / disabled: ${user.email}\n`);
      return 0;
    },
  },
  'user:reset-password': {
    summary: 'パスワードを再設定（次回サインイン時に変更必須） / reset a password; --email E (ITAKU_PASSWORD or a generated one)',
    options: { email: { type: 'string' } },
    async run({ values, out }) {
      const user = await userByEmail(values.email);
      const { temporaryPassword } = await resetPassword(cliContext('user:reset-password'), user._id, process.env.ITAKU_PASSWORD || undefined).catch(explain);
      out.write(process.env.ITAKU_PASSWORD ? `再設定しました / reset: ${user.email}\n` : `一時パスワード / temporary password: ${temporaryPassword}\n`);
      return 0;
    },
  },
});
