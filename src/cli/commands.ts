import type { Config } from '../config.js';
import { verifyAudit } from '../audit/log.js';
import mongoose from 'mongoose';
import { backup, restore } from '../backup/backup.js';
import { defaultContentRoots, formatProblems, loadContent } from '../questionnaires/index.js';
import { checkExports } from '../documents/index.js';

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export interface CliContext {
  config: Readonly<Config>;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

type OptionSpec = { type: 'string' | 'boolean'; short?: string };

export interface CliCommand {
  summary: string;
  options?: Record<string, OptionSpec>;
  needsDatabase?: boolean;
  run(ctx: CliContext): Promise<number>;
}

export const COMMANDS: Record<string, CliCommand> = {};

/** Adds commands to the table; each domain registers its own. */
export function registerCommands(commands: Record<string, CliCommand>): void {
  for (const [name, command] of Object.entries(commands)) {
    if (COMMANDS[name]) throw new Error(`CLI command ${name} registered twice`);
    COMMANDS[name] = command;
  }
}

registerCommands({
  status: {
    summary: '接続先データベースと監査ログの検証結果を表示 / show the database in use and verify the audit chain',
    async run({ out }) {
      const client = mongoose.connection.getClient();
      const hosts = client.options.hosts.map((h) => (h.socketPath ? `unix:${h.socketPath}` : `${h.host}:${h.port}`));
      const audit = await verifyAudit();
      out.write(`database: ${mongoose.connection.name} @ ${hosts.join(', ')}\n`);
      out.write(`audit: ${audit.ok ? `ok (${audit.entries} entries)` : `BROKEN at ${audit.firstBroken.seq}: ${audit.firstBroken.reason}`}\n`);
      return audit.ok ? 0 : 1;
    },
  },
  'templates:check': {
    summary: '質問票テンプレートと条項ライブラリを検証（公開版のロックを含む） / validate questionnaires/ and exports/ and the lock of published templates',
    needsDatabase: false,
    async run({ config, out, err }) {
      const roots = defaultContentRoots(config.contentDir);
      const { templates, problems: templateProblems } = loadContent(roots);
      const exported = checkExports(roots);
      const problems = [...templateProblems, ...exported.problems];
      if (problems.length) {
        err.write(`${formatProblems(problems)}\n`);
        err.write(`問題が ${problems.length} 件あります / ${problems.length} problem(s)\n`);
        return 1;
      }
      for (const t of templates) out.write(`ok  ${t.key}\t${t.status}\t${t.questions.length}問\t${t.title.ja}\n`);
      const lib = exported.library;
      if (lib) out.write(`ok  条項ライブラリ version ${lib.version}\t${lib.modules.length}モジュール\t${lib.clauses.length}条項\t${lib.sha256.slice(0, 12)}\n`);
      for (const l of exported.layouts.values()) out.write(`ok  台帳 ${l.id}\t${l.columns.length}列\t${l.title}\n`);
      out.write(`テンプレート ${templates.length} 件、条項ライブラリ、台帳の様式に問題はありません / all content valid (${roots.join(', ')})\n`);
      return 0;
    },
  },
  backup: {
    summary: '全データをバックアップ（書き込みを一時停止して一貫性を確保） / back up every collection; --out DIR (an empty folder)',
    options: { out: { type: 'string' } },
    async run({ values, out }) {
      if (typeof values.out !== 'string') throw new CliError('--out DIR を指定してください', 2);
      const manifest = await backup(values.out, (l) => out.write(`${l}\n`));
      out.write(`バックアップしました / backed up ${manifest.collections.length} collections, audit ${manifest.audit.ok ? `ok (${manifest.audit.entries})` : 'BROKEN'} → ${values.out}\n`);
      return 0;
    },
  },
  restore: {
    summary: '空のデータベースへ復元し検証（サービス停止中のみ） / restore into an empty database and verify; --from DIR',
    options: { from: { type: 'string' } },
    async run({ values, out }) {
      if (typeof values.from !== 'string') throw new CliError('--from DIR を指定してください', 2);
      try {
        const r = await restore(values.from, (l) => out.write(`${l}\n`));
        out.write(`復元しました / restored ${r.documents} documents in ${r.collections} collections; audit chain ok (${r.audit.entries} entries)\n`);
        return 0;
      } catch (err) {
        throw new CliError(`復元できません / cannot restore: ${(err as Error).message}`);
      }
    },
  },
  'audit:verify': {
    summary: '監査ログのハッシュ連鎖を検証 / verify the audit hash chain',
    async run({ out }) {
      const audit = await verifyAudit();
      out.write(`${JSON.stringify(audit)}\n`);
      return audit.ok ? 0 : 1;
    },
  },
});
