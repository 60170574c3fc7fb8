/** One line of the `npm run bench` table. Each bench module exports `async function run(): Promise<BenchRow[]>`. */
export interface BenchRow {
  area: string;
  measure: string;
  value: number;
  unit: string;
  /** Target or context, e.g. '≤ 2× bare exceljs'. */
  note?: string;
}
