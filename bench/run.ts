/**
 * `npm run bench`: runs every bench/*.bench.ts module and prints one table of figures. Targets are printed beside the
 * figures; nothing here fails on a number (speed belongs in the benchmark, never in a timed test).
 *
 *   npm run bench                 all modules
 *   npm run bench -- scoring api  only the named modules
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow } from './types.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const modules = fs
    .readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  const rows: BenchRow[] = [];
  const started = Date.now();
  let failed = 0;
  for (const file of modules) {
    const t0 = Date.now();
    process.stderr.write(`… ${file}\n`);
    try {
      const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { run: () => Promise<BenchRow[]> };
      rows.push(...(await mod.run()));
      process.stderr.write(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (err) {
      failed++;
      process.stderr.write(`  FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      rows.push({ area: file.replace(/\.bench\.ts$/, ''), measure: 'FAILED', value: NaN, unit: '', note: err instanceof Error ? err.message.slice(0, 80) : '' });
    }
  }
  const header = ['area', 'measure', 'value', 'unit', 'note'];
  const table = rows.map((r) => [r.area, r.measure, Number.isFinite(r.value) ? formatNumber(r.value) : '—', r.unit, r.note ?? '']);
  const widths = header.map((h, i) => Math.max(width(h), ...table.map((row) => width(row[i]!))));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c + ' '.repeat(widths[i]! - width(c))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of table) console.log(line(row));
  console.log(`\n${rows.length} figures from ${modules.length} modules in ${((Date.now() - started) / 1000).toFixed(1)} s${failed ? `; ${failed} module(s) FAILED` : ''}`);
  return failed ? 1 : 0;
}

function formatNumber(v: number): string {
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** Display width: East Asian wide characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

main().then((code) => process.exit(code));
