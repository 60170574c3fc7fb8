/**
 * One register export, for the API and the CLI alike: the filters turned into a database query, the first page read
 * (so a failure before the file starts answers a problem, not a broken file), the export audited with its filters,
 * then the rows streamed into the 台帳 writer.
 */
import type { WriteContext } from '../audit/actor.js';
import { appendAudit } from '../audit/log.js';
import { getSettings } from '../settings/index.js';
import { todayInTokyo } from '../shared/dates.js';
import { toWareki } from '../shared/wareki.js';
import { safeFileName } from './download.js';
import { writeRegister, type RegisterId, type RegisterLayout } from './index.js';
import { filterWords, registerFilter, type RegisterQuery } from './register-query.js';
import { registerRows } from './register-rows.js';

export interface RegisterExport {
  fileName: string;
  /** Streams the file to `out` (ended when complete); resolves with the number of rows. */
  write(out: NodeJS.WritableStream): Promise<{ rows: number }>;
  /** Gives up without writing (closes the database cursor). */
  cancel(): Promise<void>;
}

/**
 * Prepares register `layout.id` for `query`, limited to `department` when the caller sees only their own. Resolves
 * once the first page is read and the export is audited (`register.export`, with the filters); nothing is written
 * until `write` is called.
 */
export async function prepareRegisterExport(ctx: WriteContext, layout: RegisterLayout, query: RegisterQuery, department: string | null, today = todayInTokyo()): Promise<RegisterExport> {
  const id: RegisterId = layout.id;
  const settings = await getSettings();
  const { filter, sort } = await registerFilter(id, query, department);
  const { rows, close } = await registerRows(id, filter, sort, { today, dormancyDays: settings.dormancyDays, department });
  const words = await filterWords(query, department);
  const title = words.length > 0 ? `${layout.title}（${words.join('・')}）` : layout.title;
  try {
    await appendAudit(ctx, { action: 'register.export', entity: 'register', entityId: id, detail: { register: id, filters: { ...query }, department, layoutVersion: layout.version, issuedOn: today } });
  } catch (err) {
    await close();
    throw err;
  }
  return {
    fileName: safeFileName(`${layout.title}_${toWareki(today)}`, 'xlsx'),
    write: (out) => writeRegister(layout, rows, out, { title, municipality: settings.name, issuedOn: today }),
    cancel: close,
  };
}
