/**
 * Documents benchmark: the annex (build and docx render, median of several runs) and the registers, 10,000 and
 * 100,000 synthetic rows, each written in a fresh child process by writeRegister and by a bare exceljs streaming
 * write of the same rows, reporting time and peak-RSS increase as ratios (targets: time ≤ 2×, memory ≤ 1.3×).
 * Output goes to a stream that discards it, so disk speed does not enter the figures. (The database read time will
 * be added when registers are wired to records.)
 *
 *   node --import tsx bench/documents.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './types.js';

const SELF = fileURLToPath(import.meta.url);
const ANNEX_RUNS = 15;
const SIZES = [10_000, 100_000];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** A register row as the records wiring will produce it: text, dates, numbers, booleans, lists and flags. */
function syntheticRow(i: number): Record<string, unknown> {
  const month = String((i % 12) + 1).padStart(2, '0');
  return {
    contractNumber: `R8-情-${String(i).padStart(6, '0')}`,
    title: `住民情報システム運用保守業務委託（第${i}号）`,
    vendor: `株式会社テスト情報システム${i % 97}`,
    department: ['情報政策課', '市民課', '税務課', '福祉総務課'][i % 4],
    responsiblePerson: `職員 ${i % 500}`,
    periodStart: `2026-${month}-01`,
    periodEnd: `2027-${month}-28`,
    classification: ['機密性3B', '機密性2', '機密性1'][i % 3],
    personalData: i % 2 === 0,
    myNumber: i % 7 === 0,
    segment: ['マイナンバー利用事務系', 'LGWAN接続系', 'インターネット接続系'][i % 3],
    subcontractors: i % 3 === 0 ? ['株式会社再委託一', '株式会社再委託二'] : [],
    tier: (i % 4) + 1,
    latestResult: ['承認', '条件付き承認', '要エスカレーション'][i % 3],
    decidedOn: `2026-${month}-15`,
    openConditions: i % 3,
    nextConditionDue: `2026-${month}-20`,
    nextReviewDate: `2027-${month}-01`,
    endOfContract: i % 5 === 0 ? '返還・消去確認済み' : null,
    _overdue: i % 10 === 0,
    _inactive: i % 50 === 0,
  };
}

function* rows(count: number): Generator<Record<string, unknown>> {
  for (let i = 0; i < count; i++) yield syntheticRow(i);
}

/** Counts and drops what it is given. */
function discard(): Writable & { bytes: number } {
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      sink.bytes += chunk.length;
      cb();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

/** In the child: write one register one way and print time, peak RSS increase and output size as JSON. */
async function child(mode: 'itaku' | 'bare', count: number): Promise<void> {
  const ExcelJS = (await import('exceljs')).default;
  const { loadRegisterLayouts, writeRegister } = await import('../src/documents/index.js');
  const layout = loadRegisterLayouts([fileURLToPath(new URL('..', import.meta.url))]).get('engagements')!;
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  const sink = discard();
  const started = performance.now();
  if (mode === 'itaku') {
    await writeRegister(layout, rows(count), sink, { title: '委託先台帳', municipality: '架空市', issuedOn: '2026-11-25' });
  } else {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink });
    const sheet = workbook.addWorksheet('委託先台帳');
    for (const row of rows(count)) {
      sheet
        .addRow(
          layout.columns.map((c) => {
            const v = row[c.key];
            if (c.kind === 'date') return typeof v === 'string' ? new Date(`${v}T00:00:00Z`) : null;
            if (Array.isArray(v)) return v.join('、');
            return v ?? null;
          }),
        )
        .commit();
    }
    sheet.commit();
    await workbook.commit();
  }
  const ms = performance.now() - started;
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ ms, peakIncrease: Math.max(0, peak - baseline), bytes: sink.bytes }));
}

function measure(mode: 'itaku' | 'bare', count: number): { ms: number; peakIncrease: number; bytes: number } {
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, '--child', mode, String(count)], { encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) throw new Error(`bench child ${mode} ${count} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { ms: number; peakIncrease: number; bytes: number };
}

/** The documents figures for `npm run bench`. */
export async function run(): Promise<BenchRow[]> {
  const { buildAnnex, renderAnnexDocx, loadClauseLibrary } = await import('../src/documents/index.js');
  const { myNumberSystemWork } = await import('../test/fixtures/questionnaires/subjects.js');
  const library = loadClauseLibrary([fileURLToPath(new URL('..', import.meta.url))]);
  const input = {
    municipality: { name: '架空市', mayorTitle: '架空市長', address: '架空県架空市本町一丁目１番１号' },
    vendor: { name: '株式会社テスト情報システム', address: '東京都千代田区丸の内一丁目２番３号' },
    contract: { title: '住民記録システム運用保守業務委託', start: '2027-07-01' },
    facts: myNumberSystemWork(),
    assets: [{ name: '住民基本台帳データ', confidentiality: { level: '3B' }, integrity: 2 as const, availability: 2 as const, personalData: true, myNumber: true }],
    conditions: [{ text: '従事者名簿を提出すること', dueDate: '2027-07-31' }],
    issueDate: '2027-06-01',
    clauseLibrary: library,
  };
  const builds: number[] = [];
  const renders: number[] = [];
  for (let i = 0; i < ANNEX_RUNS + 2; i++) {
    let t = performance.now();
    const model = buildAnnex(input);
    const built = performance.now() - t;
    t = performance.now();
    await renderAnnexDocx(model, { issuedAt: new Date('2027-06-01T00:00:00Z') });
    const rendered = performance.now() - t;
    if (i >= 2) {
      builds.push(built);
      renders.push(rendered);
    }
  }
  const out: BenchRow[] = [
    { area: 'documents', measure: `annex build (median of ${ANNEX_RUNS})`, value: round(median(builds)), unit: 'ms' },
    { area: 'documents', measure: `annex docx render (median of ${ANNEX_RUNS})`, value: round(median(renders)), unit: 'ms' },
  ];
  for (const count of SIZES) {
    const bare = measure('bare', count);
    const ours = measure('itaku', count);
    const label = `register ${count.toLocaleString('en-US')} rows`;
    const mb = (b: number): number => round(b / 1024 / 1024, 1);
    out.push(
      { area: 'documents', measure: `${label}: writeRegister time`, value: round(ours.ms, 0), unit: 'ms' },
      { area: 'documents', measure: `${label}: bare exceljs time`, value: round(bare.ms, 0), unit: 'ms' },
      { area: 'documents', measure: `${label}: time ratio`, value: round(ours.ms / bare.ms), unit: '×', note: '≤ 2× bare exceljs' },
      { area: 'documents', measure: `${label}: writeRegister peak RSS increase`, value: mb(ours.peakIncrease), unit: 'MB' },
      { area: 'documents', measure: `${label}: bare exceljs peak RSS increase`, value: mb(bare.peakIncrease), unit: 'MB' },
      { area: 'documents', measure: `${label}: memory ratio`, value: round(ours.peakIncrease / bare.peakIncrease), unit: '×', note: '≤ 1.3× bare exceljs' },
      { area: 'documents', measure: `${label}: file size`, value: mb(ours.bytes), unit: 'MB', note: `bare ${mb(bare.bytes)} MB` },
    );
  }
  return out;
}

if (process.argv[1] === SELF) {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    await child(process.argv[at + 1] as 'itaku' | 'bare', Number(process.argv[at + 2]));
  } else {
    for (const r of await run()) console.log(`${r.measure.padEnd(52)} ${String(r.value).padStart(9)} ${r.unit}${r.note ? `   (${r.note})` : ''}`);
  }
}
