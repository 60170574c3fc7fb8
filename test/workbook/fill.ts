/** Fills a downloaded workbook the way a vendor would, through exceljs (what Excel writes is checked separately). */
import ExcelJS from 'exceljs';

export interface Fill {
  answer?: ExcelJS.CellValue;
  comment?: string;
  evidence?: string;
  /** Option labels to mark ○ (multiple-choice). */
  options?: string[];
}

export async function openWorkbook(xlsx: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  return wb;
}

export function questionSheet(wb: ExcelJS.Workbook): ExcelJS.Worksheet {
  const ws = wb.getWorksheet('質問票') ?? wb.getWorksheet('Questionnaire');
  if (!ws) throw new Error('no question sheet');
  return ws;
}

export function rowOf(ws: ExcelJS.Worksheet, questionId: string): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, 1).value === questionId) return r;
  throw new Error(`question ${questionId} not in the workbook`);
}

export async function fill(xlsx: Buffer, answers: Record<string, Fill>, edit?: (wb: ExcelJS.Workbook, ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = await openWorkbook(xlsx);
  const ws = questionSheet(wb);
  for (const [id, f] of Object.entries(answers)) {
    const r = rowOf(ws, id);
    if (f.answer !== undefined) ws.getCell(r, 7).value = f.answer;
    if (f.comment !== undefined) ws.getCell(r, 8).value = f.comment;
    if (f.evidence !== undefined) ws.getCell(r, 9).value = f.evidence;
    for (const label of f.options ?? []) {
      let o = r + 1;
      while (o <= ws.rowCount && ws.getCell(o, 1).value === null && ws.getCell(o, 3).value !== label) o++;
      if (ws.getCell(o, 3).value !== label) throw new Error(`option ${label} of ${id} not found`);
      ws.getCell(o, 7).value = '○';
    }
  }
  edit?.(wb, ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
