/**
 * `npm run cli -- export:register <vendors|engagements|cloud-services|sns-accounts> --out FILE [--force]` with the
 * list filters as options (`--department <code or id>`, `--tier`, `--warning`, `--review-due`, `--days`, `--q`,
 * `--archived`, `--sort`). Writes the same 台帳 as the API, audited as the CLI; never overwrites a file unless --force.
 */
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import { cliContext } from '../audit/actor.js';
import { CliError, registerCommands } from '../cli/commands.js';
import { loadAppContent } from '../content.js';
import { DepartmentModel, departmentStore } from '../org/index.js';
import { REGISTER_IDS, type RegisterId } from './index.js';
import { prepareRegisterExport } from './register-export.js';
import { REGISTER_QUERIES, type RegisterQuery } from './register-query.js';

const FILTERS = { department: 'departmentId', tier: 'tier', warning: 'warning', 'review-due': 'reviewDue', days: 'days', q: 'q', archived: 'archived', sort: 'sort' } as const;

async function departmentId(raw: string): Promise<string> {
  if (/^[0-9a-f]{24}$/.test(raw) && (await departmentStore.get(raw))) return raw;
  const byCode = await DepartmentModel.findOne({ code: raw, archivedAt: null }).lean();
  if (!byCode) throw new CliError(`部署が見つかりません / no department with code or id ${raw}`, 2);
  return byCode._id;
}

registerCommands({
  'export:register': {
    summary: `台帳をExcelで出力 / write a register: <${REGISTER_IDS.join('|')}> --out FILE [--force] [--department D] [--warning W] [--review-due overdue|soon|due] [--tier N] [--q TEXT]`,
    options: {
      out: { type: 'string' },
      force: { type: 'boolean' },
      ...Object.fromEntries(Object.keys(FILTERS).map((k) => [k, { type: 'string' as const }])),
    },
    async run({ config, values, positionals, out }) {
      const id = positionals[0] as RegisterId | undefined;
      if (!id || !(REGISTER_IDS as readonly string[]).includes(id)) throw new CliError(`台帳の種類を指定してください / give the register: ${REGISTER_IDS.join(' | ')}`, 2);
      if (typeof values.out !== 'string' || !values.out) throw new CliError('--out FILE を指定してください / give --out FILE', 2);
      const raw: Record<string, unknown> = {};
      for (const [option, key] of Object.entries(FILTERS)) if (typeof values[option] === 'string') raw[key] = values[option];
      if (typeof raw.departmentId === 'string') raw.departmentId = await departmentId(raw.departmentId);
      const parsed = REGISTER_QUERIES[id].safeParse(raw);
      if (!parsed.success) throw new CliError(`条件に誤りがあります / bad filter: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 2);

      const layout = loadAppContent(config.contentDir).exports.layouts.get(id)!;
      let file: fs.WriteStream;
      try {
        // 'wx' refuses an existing file atomically; --force truncates it.
        const fd = fs.openSync(values.out, values.force === true ? 'w' : 'wx');
        file = fs.createWriteStream(values.out, { fd });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(`${values.out} は既にあります。上書きするには --force を付けてください / the file exists: add --force to overwrite`, 1);
        throw new CliError(`${values.out} に書き込めません / cannot write: ${(err as Error).message}`, 1);
      }
      try {
        const exported = await prepareRegisterExport(cliContext('export:register'), layout, parsed.data as RegisterQuery, null);
        const { rows } = await exported.write(file);
        await finished(file);
        out.write(`${layout.title}を出力しました / wrote ${rows} rows → ${values.out}\n`);
        return 0;
      } catch (err) {
        file.destroy();
        fs.rmSync(values.out, { force: true });
        throw err;
      }
    },
  },
});
