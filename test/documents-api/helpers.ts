/**
 * Factories for the documents API tests: the municipality's settings, a decided assessment (issued through the API,
 * answered and reviewed in-process, decided through the API), and readers for the downloaded files.
 */
import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import ExcelJS from 'exceljs';
import { cliContext } from '../../src/audit/actor.js';
import { assessmentStore } from '../../src/assessments/assessment.model.js';
import { issueAssessment, transition } from '../../src/assessments/commands.js';
import { loadAppContent } from '../../src/content.js';
import { saveAnswer } from '../../src/assessments/respond.js';
import { ReviewModel } from '../../src/assessments/review.js';
import { scoringInputOf } from '../../src/assessments/scoring-input.js';
import { readZipEntry, zipEntries } from '../../src/documents/zip.js';
import { score } from '../../src/scoring/index.js';
import { getSettings, updateSettings } from '../../src/settings/index.js';
import { addDays, todayInTokyo } from '../../src/shared/dates.js';

const ctx = cliContext('test');

export const MUNICIPALITY = { name: '架空市', mayorTitle: '架空市長', address: '架空県架空市本町一丁目１番１号' };

/** The municipality's name, mayor's title and address (an annex prints them). */
export async function setUpMunicipality(): Promise<void> {
  const current = await getSettings();
  await updateSettings(ctx, current.version ?? 0, MUNICIPALITY);
}

export interface Decided {
  assessmentId: string;
  recommendation: string;
  decision: Record<string, unknown>;
}

/**
 * An assessment of `subject` decided through the API: issued and answered in-process (`answers`), moved to
 * under review with every failed ◎ gate given an exception (so any result may be chosen), then decided by `decider`.
 * The review records are inserted as they would stand after the exceptions (version 1, one bulk insert): applyReview
 * re-reads the assessment's template snapshot and appends to the audit chain for every action, which costs seconds
 * per assessment on the embedded database and is not what these tests are about.
 */
export async function decideAssessment(
  app: Express,
  o: {
    subject: { kind: 'engagement' | 'cloudService' | 'snsAccount'; id: string };
    templateId: string;
    /** Who issues it (the decider must be someone else). */
    preparer: { id: string };
    decider: string;
    answers: Record<string, string | number>;
    result: 'approved' | 'conditional' | 'rejected';
    conditions?: { text: string; owner: string; dueDate: string }[];
  },
): Promise<Decided> {
  const issued = await issueAssessment(ctx, { id: o.preparer.id, name: '所管課 担当' }, loadAppContent().templates, {
    subject: o.subject, templateId: o.templateId, dueDate: addDays(todayInTokyo(), 30), language: 'ja',
  }, () => undefined);
  const id = issued._id;
  for (const [questionId, value] of Object.entries(o.answers)) {
    await saveAnswer(ctx, (await assessmentStore.get(id))!, questionId, { value, version: 0 });
  }
  await transition(ctx, id, 'submitted', () => ({ submittedAt: new Date() }));
  await transition(ctx, id, 'under_review');
  const result = score(await scoringInputOf((await assessmentStore.get(id))!));
  const at = new Date();
  const exceptions = result.gates.failed.map((g) => ({
    _id: `${id}:${g.questionId}`, version: 1, createdAt: at, updatedAt: at, archivedAt: null, assessmentId: id, questionId: g.questionId,
    answer: null, notApplicable: null, evidence: null, comments: [],
    exception: { measure: '代替措置として月次で報告を受ける', expiresOn: addDays(todayInTokyo(), 90), by: '審査 担当', at },
  }));
  if (exceptions.length > 0) await ReviewModel.collection.insertMany(exceptions as never[]);
  const decided = await request(app)
    .post(`/api/v1/assessments/${id}/decision`)
    .set('Authorization', o.decider)
    .send({ result: o.result, reason: '条件を付して承認する', conditions: o.conditions ?? [] });
  assert.equal(decided.status, 200, decided.text);
  return { assessmentId: id, recommendation: decided.body.decision.recommendation.result, decision: decided.body.decision };
}

/** Collects a binary response body (supertest buffers only known types by default). */
export function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
  res.on('error', (err: Error) => cb(err, Buffer.alloc(0)));
}

/** GET a file as a Buffer. */
export async function download(app: Express, url: string, bearer: string): Promise<request.Response & { body: Buffer }> {
  return (await request(app).get(url).set('Authorization', bearer).buffer(true).parse(binary)) as request.Response & { body: Buffer };
}

export async function openWorkbook(xlsx: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  return wb;
}

/** The XML of every worksheet in a workbook. */
export function sheetXmls(xlsx: Buffer): string[] {
  return zipEntries(xlsx)
    .filter((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name))
    .map((e) => readZipEntry(xlsx, e).toString('utf8'));
}

/** The text of the cells of a row, from column 1. */
export function rowTexts(ws: ExcelJS.Worksheet, row: number): string[] {
  const out: string[] = [];
  ws.getRow(row).eachCell({ includeEmpty: true }, (cell, col) => {
    out[col - 1] = cell.text;
  });
  return out;
}
