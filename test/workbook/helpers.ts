import request from 'supertest';
import type { Express } from 'express';
import { XLSX_TYPE } from '../../src/workbook/index.js';
import { answersOf } from '../../src/assessments/answers.model.js';

/** Collects a binary response body (supertest parses only text by default). */
export const binary = (response: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const res = response as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

export async function download(app: Express, url: string, bearer?: string): Promise<Buffer> {
  let req = request(app).get(url);
  if (bearer) req = req.set('Authorization', bearer);
  const res = await req.buffer(true).parse(binary);
  if (res.status !== 200) throw new Error(`download ${url}: ${res.status} ${String(res.body).slice(0, 300)}`);
  if (!String(res.headers['content-type']).startsWith(XLSX_TYPE)) throw new Error(`unexpected type ${res.headers['content-type']}`);
  return res.body as Buffer;
}

/** Raw-body upload to the vendor API route. */
export function uploadRaw(app: Express, token: string, data: Buffer) {
  return request(app).post(`/api/v1/respond/${token}/xlsx`).set('Content-Type', XLSX_TYPE).send(data);
}

/** Answers as plain `{ questionId: [value, comment, version] }`, to compare before and after a refusal. */
export async function snapshot(assessmentId: string): Promise<Record<string, [unknown, string, number]>> {
  return Object.fromEntries((await answersOf(assessmentId)).map((a) => [a.questionId, [a.value, a.comment, a.version]]));
}
