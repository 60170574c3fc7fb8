import request from 'supertest';
import type { Express } from 'express';
import { makeDepartment } from './auth.js';
import { makeCloudService, makeEngagement, makePerson, makeSnsAccount, makeStaff, makeVendor, type TestUser } from './records.js';

/** A minimal valid PDF (type is decided from the bytes). */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

export interface World {
  deptId: string;
  otherDeptId: string;
  procurement: TestUser;
  otherProcurement: TestUser;
  officer: TestUser;
  ciso: TestUser;
  auditor: TestUser;
  admin: TestUser;
  vendorId: string;
  personId: string;
}

/** Two departments, one user per role (procurement in the first), a vendor and a person. */
export async function makeWorld(): Promise<World> {
  const dept = await makeDepartment('情報政策課');
  const other = await makeDepartment('観光課');
  const person = await makePerson(dept._id);
  const vendor = await makeVendor({ name: '株式会社クラウドテスト' });
  return {
    deptId: dept._id,
    otherDeptId: other._id,
    procurement: await makeStaff(['procurement'], dept._id),
    otherProcurement: await makeStaff(['procurement'], other._id),
    officer: await makeStaff(['security_officer']),
    ciso: await makeStaff(['ciso']),
    auditor: await makeStaff(['auditor']),
    admin: await makeStaff(['admin']),
    vendorId: vendor._id,
    personId: person._id,
  };
}

/** A cloud service handling 機密性2 personal data under an individual contract. */
export async function cloudServiceC2(w: World) {
  return makeCloudService(w.deptId, w.vendorId, w.personId, {
    informationAssets: [{ name: '住民からの問合せ記録', confidentiality: '2', integrity: 1, availability: 1, personalData: true, myNumber: false }],
  });
}

export async function engagementFor(w: World, over: Record<string, unknown> = {}) {
  return makeEngagement(w.deptId, w.vendorId, w.personId, over);
}

export async function snsFor(w: World) {
  return makeSnsAccount(w.deptId, { responsiblePersonId: w.personId });
}

export function inDays(n: number): string {
  const d = new Date(Date.now() + 9 * 3600_000 + n * 86_400_000);
  return d.toISOString().slice(0, 10);
}

export async function issue(app: Express, who: TestUser, subject: { kind: string; id: string }, templateId: string, dueInDays = 14) {
  return request(app).post('/api/v1/assessments').set('Authorization', who.bearer).send({ subject, templateId, dueDate: inDays(dueInDays) });
}

interface RespondQuestion {
  id: string;
  answer: { type: string; options?: { id: string; points: number }[]; min?: number; max?: number; thresholds?: { value: number; points: number }[]; partial?: boolean };
  current: { value: unknown; version: number } | null;
  files: unknown[];
  evidence: string;
}

/** A "best" valid answer for a question: yes, the best option, a number meeting the first threshold. */
export function bestValue(q: RespondQuestion): unknown {
  const a = q.answer;
  switch (a.type) {
    case 'yes-no':
      return 'yes';
    case 'single-choice':
      return [...(a.options ?? [])].sort((x, y) => y.points - x.points)[0]!.id;
    case 'multiple-choice':
      return (a.options ?? []).map((o) => o.id);
    case 'number':
      return a.thresholds?.length ? Math.max(a.min ?? 0, Math.min(a.max ?? 0, a.thresholds[0]!.value)) : (a.min ?? 0);
    case 'date':
      return '2026-04-01';
    case 'text':
      return '所定の手順に従い実施しています。';
    default:
      return undefined;
  }
}

/**
 * Answers every applicable question through the vendor API (evidence where asked), repeating until follow-ups stop
 * appearing. Returns how many answers were saved.
 */
export async function answerEverything(app: Express, token: string, value: (q: RespondQuestion) => unknown = bestValue): Promise<number> {
  let saved = 0;
  for (let round = 0; round < 5; round++) {
    const view = (await request(app).get(`/api/v1/respond/${token}`)).body as { sections: { questions: RespondQuestion[] }[] };
    // Unanswered questions, and answered ones whose answer now asks for evidence that is not there yet.
    const todo = view.sections
      .flatMap((s) => s.questions)
      .filter((q) => (q.answer.type === 'file' || q.evidence === 'required' ? q.files.length === 0 : false) || ((q.current?.value ?? null) === null && q.answer.type !== 'file'));
    if (todo.length === 0) break;
    for (const q of todo) {
      if (q.answer.type === 'file' || q.evidence === 'required') {
        if (q.files.length === 0) {
          const up = await request(app).post(`/api/v1/respond/${token}/evidence/${q.id}`).set('Content-Type', 'application/pdf').set('X-Filename', encodeURIComponent(`${q.id}_証跡.pdf`)).send(PDF);
          if (up.status !== 201) throw new Error(`upload ${q.id}: ${up.status} ${up.text}`);
        }
        if (q.answer.type === 'file' || (q.current?.value ?? null) !== null) continue;
      }
      const res = await request(app).put(`/api/v1/respond/${token}/answers/${q.id}`).send({ value: value(q), version: q.current?.version ?? 0 });
      if (res.status !== 200) throw new Error(`answer ${q.id}: ${res.status} ${res.text}`);
      saved++;
    }
  }
  return saved;
}
