/**
 * Importing a filled workbook, all or nothing, without transactions (STYLE.md): every check runs first; the accepted
 * answers are then written as ONE batch document (a single insert: the commit point, with the version each answer is
 * expected to be at), and applied answer by answer, idempotently. A crash after the insert is rolled forward by
 * `completePendingImports` (start-up, the periodic sweep, and the next import or download of the same assessment).
 */
import crypto from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { Actor, WriteContext } from '../audit/actor.js';
import { appendAudit } from '../audit/log.js';
import { AppError } from '../http/errors.js';
import { RevisionModel } from '../db/revision.model.js';
import { assessmentStore, type Assessment } from '../assessments/assessment.model.js';
import { answerId, answersOf, answerStore, type AnswerValue } from '../assessments/answers.model.js';
import { transition } from '../assessments/commands.js';
import { ANSWERABLE } from '../assessments/status.js';
import { checkAnswers, verifyWorkbook, type ImportItem } from './check.js';
import { inspectZip, ZipRefusal } from './inspect.js';
import { parsePool } from './pool.js';

export interface WorkbookImport {
  _id: string;
  assessmentId: string;
  actor: Actor;
  ip?: string;
  at: Date;
  file: { sha256: string; size: number };
  items: ImportItem[];
  state: 'pending' | 'applied';
  result?: { applied: string[]; superseded: string[] };
  appliedAt?: Date;
}

export const WorkbookImportModel = mongoose.model<WorkbookImport>(
  'WorkbookImport',
  new Schema<WorkbookImport>(
    { _id: String, assessmentId: String, actor: Schema.Types.Mixed, ip: String, at: Date, file: Schema.Types.Mixed, items: Schema.Types.Mixed, state: String, result: Schema.Types.Mixed, appliedAt: Date },
    { collection: 'workbook_imports', versionKey: false, minimize: false },
  ),
);

export const IMPORT_ACTION = 'answer.import';

export interface ImportResult {
  importId: string | null;
  imported: { questionId: string; cell: string }[];
  unchanged: number;
  /** Answers a concurrent save overtook between the check and the write (last writer wins there). */
  superseded: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function refusal(code: string, message: string, problems: { path: string; message: string }[]): AppError {
  return new AppError(code, message, 422, problems.length ? problems : [{ path: 'file', message }]);
}

/**
 * Writes one answer unless already written; 'superseded' when someone else wrote that version first. The write itself
 * is the check (a revision `_id` can be inserted once), so no read comes first.
 */
async function applyItem(ctx: WriteContext, assessmentId: string, item: ImportItem): Promise<'applied' | 'superseded'> {
  const id = answerId(assessmentId, item.questionId);
  try {
    if (item.expectedVersion === 0) {
      await answerStore.create(ctx, IMPORT_ACTION, { _id: id, assessmentId, questionId: item.questionId, value: item.value ?? null, comment: item.comment, by: ctx.actor });
    } else {
      await answerStore.update(ctx, IMPORT_ACTION, id, item.expectedVersion, (c) => ({ ...c, value: item.value !== undefined ? item.value : c.value, comment: item.comment, by: ctx.actor }));
    }
    return 'applied';
  } catch (err) {
    if (!(err instanceof AppError) || (err.code !== 'version_conflict' && err.code !== 'duplicate')) throw err;
  }
  const next = await RevisionModel.findById(`answer:${id}:${item.expectedVersion + 1}`).lean();
  const image = next?.image as { value?: AnswerValue | null; comment?: string } | undefined;
  const ours = next?.action === IMPORT_ACTION && image?.comment === item.comment && (item.value === undefined || same(image?.value, item.value));
  return ours ? 'applied' : 'superseded';
}

/** Answers are separate documents, so they are written side by side; a few at a time keeps the database's queue short. */
const APPLY_CONCURRENCY = 8;

/** Applies a committed batch; safe to run any number of times, by any number of processes. */
async function applyBatch(batch: WorkbookImport, knownStatus?: string): Promise<{ applied: string[]; superseded: string[] }> {
  const ctx: WriteContext = { actor: batch.actor, ...(batch.ip ? { ip: batch.ip } : {}) };
  const result = { applied: [] as string[], superseded: [] as string[] };
  const outcomes = new Array<'applied' | 'superseded'>(batch.items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < batch.items.length; i = next++) outcomes[i] = await applyItem(ctx, batch.assessmentId, batch.items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(APPLY_CONCURRENCY, batch.items.length) }, worker));
  batch.items.forEach((item, i) => result[outcomes[i]!].push(item.questionId));
  try {
    if (knownStatus !== 'in_progress') await transition(ctx, batch.assessmentId, 'in_progress', () => ({}), ['in_progress']);
  } catch (err) {
    // Submitted meanwhile (another instance): the answers stand, the status is not moved back.
    if (!(err instanceof AppError) || err.code !== 'illegal_state') throw err;
  }
  await appendAudit(ctx, {
    action: 'assessment.workbookImport', entity: 'assessment', entityId: batch.assessmentId, ref: `workbookImport:${batch._id}`, at: batch.at,
    detail: { importId: batch._id, file: batch.file, questions: result.applied, ...(result.superseded.length ? { superseded: result.superseded } : {}) },
  });
  await WorkbookImportModel.updateOne({ _id: batch._id }, { $set: { state: 'applied', appliedAt: new Date(), result } });
  return result;
}

/**
 * Rolls forward imports whose batch was written but not (fully) applied. Run at start-up (olderThanMs 0) and from
 * the periodic sweep; `assessmentId` limits it to one assessment. Returns how many were completed.
 */
export async function completePendingImports(options: { assessmentId?: string; olderThanMs?: number } = {}): Promise<number> {
  const filter: Record<string, unknown> = { state: 'pending' };
  if (options.assessmentId) filter.assessmentId = options.assessmentId;
  if (options.olderThanMs) filter.at = mongoose.trusted({ $lt: new Date(Date.now() - options.olderThanMs) });
  const pending = (await WorkbookImportModel.find(filter).sort({ at: 1 }).lean()) as WorkbookImport[];
  for (const batch of pending) await applyBatch(batch);
  return pending.length;
}

/**
 * Imports a workbook into an assessment (as just read by the caller, access checked) as `ctx.actor`. Refuses with
 * 422 (problems by sheet and cell) or 409 (answers edited on both sides since the download, or the assessment no
 * longer answerable); otherwise applies it whole, audited.
 */
export async function importWorkbook(ctx: WriteContext, given: Assessment, data: Buffer, dataKey: Buffer): Promise<ImportResult> {
  const assessmentId = given._id;
  try {
    inspectZip(data);
  } catch (err) {
    if (err instanceof ZipRefusal) throw refusal(err.code, err.message, []);
    throw err;
  }
  const parsed = await parsePool().parse(data);
  if (!parsed.ok) throw refusal(parsed.code, parsed.message, parsed.problems);
  const verified = verifyWorkbook(given, parsed.workbook, dataKey);
  if (Array.isArray(verified)) throw refusal('workbook_invalid', `ワークブックに問題があるため、何も取り込みませんでした（${verified.length}件）。`, verified);

  // The assessment may have moved while the file was parsed (or an earlier import be left half-applied): read it afresh then.
  const rolled = await completePendingImports({ assessmentId });
  const assessment = rolled ? await assessmentStore.get(assessmentId) : given;
  if (!assessment) throw new AppError('not_found', '指定された評価は見つかりません', 404);
  if (!ANSWERABLE.includes(assessment.status)) {
    throw new AppError('not_answerable', '提出済みのため回答を変更できません（確認依頼があった場合は変更できます）', 409, undefined, { status: assessment.status });
  }
  // By `_id`, the one lookup FerretDB answers from an index: a query by assessment would scan every answer stored.
  const current = await answersOf(assessmentId, assessment.template.questions.map((q) => q.id));
  // What each moved answer looked like when the workbook was written: a question the workbook leaves as written is no conflict.
  const versions = new Map(current.map((x) => [x.questionId, x.version]));
  const moved = verified.binding.rows.filter((r) => !r.optionId && r.version > 0 && versions.get(r.questionId) !== r.version);
  const then = new Map<string, { value: AnswerValue | null; comment: string }>();
  if (moved.length) {
    // One lookup each: `$in` over `_id` scans the revisions, the largest collection.
    const revisions = await Promise.all(moved.map((r) => RevisionModel.findById(`answer:${answerId(assessmentId, r.questionId)}:${r.version}`).lean()));
    for (const rev of revisions) {
      if (!rev) continue;
      const image = rev.image as { questionId: string; value: AnswerValue | null; comment: string };
      then.set(`${image.questionId}:${rev.version}`, { value: image.value ?? null, comment: image.comment ?? '' });
    }
  }
  const result = checkAnswers(assessment, verified, current, (questionId, version) => (version === 0 ? { value: null, comment: '' } : then.get(`${questionId}:${version}`)));
  if (result.problems.length) throw refusal('workbook_invalid', `ワークブックに問題があるため、何も取り込みませんでした（${result.problems.length}件）。`, result.problems);
  if (result.conflicts.length) {
    const ids = result.conflicts.map((c) => c.questionId);
    const details = result.conflicts.map(({ path, message }) => ({ path, message }));
    throw new AppError('version_conflict', `ダウンロード後に回答が変更された設問があるため、何も取り込みませんでした（${ids.join('、')}）。`, 409, details, { questions: ids });
  }
  if (result.items.length === 0) return { importId: null, imported: [], unchanged: result.unchanged, superseded: [] };

  const batch: WorkbookImport = {
    _id: new mongoose.Types.ObjectId().toHexString(),
    assessmentId,
    actor: ctx.actor,
    ...(ctx.ip ? { ip: ctx.ip } : {}),
    at: new Date(),
    file: { sha256: crypto.createHash('sha256').update(data).digest('hex'), size: data.length },
    items: result.items,
    state: 'pending',
  };
  await WorkbookImportModel.collection.insertOne(batch as never);
  const applied = await applyBatch(batch, assessment.status);
  const sheet = verified.binding.sheet;
  return {
    importId: batch._id,
    imported: result.items.filter((i) => applied.applied.includes(i.questionId)).map((i) => ({ questionId: i.questionId, cell: `${sheet}!G${i.row}` })),
    unchanged: result.unchanged,
    superseded: applied.superseded,
  };
}
