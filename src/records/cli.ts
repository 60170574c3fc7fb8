/** CLI commands of the records issue: `classification:migrate` and `seed:demo`. */
import { cliContext } from '../audit/actor.js';
import { CliError, registerCommands } from '../cli/commands.js';
import { loadAppContent } from '../content.js';
import { seedDemo, SeedRefused } from '../demo/seed.js';
import { AppError } from '../http/errors.js';
import { SCHEME_LABELS, type Level3Mapping } from './classification.js';
import { levelsOutsideScheme, migrateClassification } from './classification.commands.js';

const LEVEL3: Level3Mapping[] = ['auto', '3A', '3B', '3C'];

registerCommands({
  'classification:migrate': {
    summary: '分類体系を切り替え、全記録の機密性区分を読み替える / switch the classification scheme; --to r6|legacy [--level3 auto|3A|3B|3C] [--dry-run]',
    options: { to: { type: 'string' }, level3: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    async run({ values, out }) {
      const to = values.to;
      if (to !== 'r6' && to !== 'legacy') throw new CliError('--to r6 又は --to legacy を指定してください', 2);
      const level3 = (values.level3 ?? 'auto') as Level3Mapping;
      if (!LEVEL3.includes(level3)) throw new CliError(`--level3 は ${LEVEL3.join(' / ')} のいずれかです（auto: 個人情報を含むものは3B、それ以外は3C）`, 2);
      const dryRun = values['dry-run'] === true;
      const report = await migrateClassification(cliContext('classification:migrate'), to, level3, dryRun);
      for (const c of report.changed) out.write(`${c.kind}\t${c.id}\t${c.levels.join(', ')}\n`);
      out.write(
        `${dryRun ? '【確認のみ】' : ''}${SCHEME_LABELS[report.from]} → ${SCHEME_LABELS[report.to]}: ${report.examined}件を確認し、${report.changed.length}件の区分を${dryRun ? '読み替えます' : '読み替えました'}\n`,
      );
      if (!dryRun) {
        const left = await levelsOutsideScheme(to);
        if (left > 0) throw new CliError(`新しい分類体系にない区分が${left}件残っています。もう一度実行してください。`, 1);
      }
      return 0;
    },
  },
  'seed:demo': {
    summary: 'デモ用の架空の自治体（桜ヶ丘市）を登録 / load a demo municipality; refuses when records exist unless --force',
    options: { force: { type: 'boolean' } },
    async run({ config, values, out }) {
      try {
        const r = await seedDemo(cliContext('seed:demo'), { force: values.force === true, templates: loadAppContent(config.contentDir).templates });
        const c = r.created;
        out.write(
          `登録しました / loaded: 部署${c.departments}、人物${c.people}、事業者${c.vendors}、業務委託${c.engagements}、外部サービス${c.cloudServices}、SNSアカウント${c.snsAccounts}、評価${c.assessments}（既存のため省略: ${r.skipped}）\n`,
        );
        return 0;
      } catch (err) {
        if (err instanceof SeedRefused) throw new CliError(err.message, 1);
        if (err instanceof AppError) throw new CliError(`${err.message}${err.details ? `\n${err.details.map((x) => `  ${x.path}: ${x.message}`).join('\n')}` : ''}`, 1);
        throw err;
      }
    },
  },
});
