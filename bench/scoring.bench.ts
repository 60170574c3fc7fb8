/**
 * Scoring benchmark: 1,000 assessments of a synthetic 150-question template (every answer type, conditions,
 * follow-ups, must rules, evidence), each with its own answers and reviews. The template goes through the real
 * loader, so what is timed is what production scores. Standalone: `node --import tsx bench/scoring.bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import type { SubjectFacts } from '../src/questionnaires/facts.js';
import { contentHash } from '../src/questionnaires/lock.js';
import type { Template } from '../src/questionnaires/template.js';
import { compileTemplate } from '../src/questionnaires/validate.js';
import { parseYamlSource } from '../src/questionnaires/yaml-source.js';
import { type AnswerValue, type ReviewState, score, type ScoringInput } from '../src/scoring/index.js';
import type { BenchRow } from './types.js';

const ASSESSMENTS = 1000;
const SECTIONS = 10;
const PER_SECTION = 15;

/** The n-th question of a section: the kind cycles so every answer type and rule shape is present. */
function question(section: string, n: number): Record<string, unknown> {
  const id = `${section}${String(n).padStart(2, '0')}`;
  const base = { id, text: `設問${id}`, weight: (n % 3) + 1, sources: { other: ['bench'] } };
  switch (n % 6) {
    case 0:
      return { ...base, answer: { type: 'yes-no', notApplicable: true }, must: '◎', evidence: 'required' };
    case 1:
      return { ...base, answer: { type: 'single-choice', options: [{ id: 'full', label: '全部', points: 1 }, { id: 'some', label: '一部', points: 0.35 }, { id: 'none', label: 'なし', points: 0 }] }, must: { level: '○', rules: [{ when: 'confidentiality.rank >= 2', level: '◎' }] } };
    case 2:
      return { ...base, answer: { type: 'multiple-choice', options: [{ id: 'a', label: 'A', points: 0.4 }, { id: 'b', label: 'B', points: 0.35 }, { id: 'c', label: 'C', points: 0.5 }] }, must: '△', applies: 'personalData or systemWork' };
    case 3:
      return { ...base, answer: { type: 'number', unit: '時間', min: 0, max: 720, thresholds: [{ max: 24, points: 1 }, { max: 72, points: 0.5 }] }, must: { level: '○', rules: [{ from: '2027-07-01', level: '◎' }] } };
    case 4:
      return { ...base, answer: { type: 'yes-no' }, must: '○', evidence: { level: 'required', when: `answer.${id} == "yes"` } };
    default:
      return { ...base, answer: { type: 'text' }, must: '○', followUp: { of: `${section}${String(n - 1).padStart(2, '0')}`, when: `answer.${section}${String(n - 1).padStart(2, '0')} != "no"` } };
  }
}

/** A 150-question template compiled by the real loader. */
export function syntheticTemplate(): Template {
  const data = {
    id: 'bench',
    version: 1,
    status: 'draft',
    title: 'ベンチマーク用様式',
    subjects: ['engagement'],
    respondent: 'vendor',
    sections: Array.from({ length: SECTIONS }, (_, s) => {
      const sid = String.fromCharCode(65 + s);
      return { id: sid, title: `区分${sid}`, questions: Array.from({ length: PER_SECTION }, (_, i) => question(sid, i)) };
    }),
  };
  const text = stringify(data, { aliasDuplicateObjects: false });
  const parsed = parseYamlSource('bench@1.yaml', text);
  const { template, problems } = compileTemplate({ source: parsed.source, data: parsed.data, origin: 'shipped', sha256: contentHash(text) });
  if (!template || problems.length > 0 || parsed.problems.length > 0) {
    throw new Error(`bench template does not compile: ${JSON.stringify([...parsed.problems, ...problems].slice(0, 3))}`);
  }
  return template;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run scores the same assessments. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FACTS: SubjectFacts = {
  kind: 'engagement', confidentiality: { level: '2', rank: 2 }, integrity: 1, availability: 1, personalData: true, myNumber: false,
  segment: null, placement: null, contractType: null, serviceModel: null, generativeAi: false, systemWork: true, workLocation: 'vendor_site',
  remoteAccess: false, vendorOperatesSns: false, vendorUsesGenerativeAi: false, criticalDependency: false, disasterInformation: false, date: '2027-08-01',
};

/**
 * One assessment. Even seeds are careful vendors (best answers, reviews accepted, a few ○ gaps and exceptions), odd
 * seeds careless ones (gaps, N/As, rejected reviews), so the run covers every recommendation, not only rejections.
 */
export function syntheticAssessment(template: Template, seed: number): ScoringInput {
  const rnd = random(seed);
  const careful = seed % 2 === 0;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const answers: Record<string, AnswerValue | undefined> = {};
  const review: Record<string, ReviewState> = {};
  const evidenceCount: Record<string, number> = {};
  for (const q of template.questions) {
    const a = q.answer;
    if (!careful && rnd() < 0.03) continue; // unanswered
    const gap = careful ? q.must.level === '○' && q.must.rules.length === 0 && rnd() < 0.04 : rnd() < 0.3;
    answers[q.id] =
      a.type === 'yes-no' ? (gap ? pick(a.notApplicable ? ['partial', 'no', 'na'] : ['partial', 'no']) : 'yes')
      : a.type === 'single-choice' ? (gap ? pick(['some', 'none']) : 'full')
      : a.type === 'multiple-choice' ? (gap ? pick([['a'], ['a', 'b'], ['c']]) : ['a', 'b', 'c'])
      : a.type === 'number' ? (gap ? 24 + Math.floor(rnd() * 100) : Math.floor(rnd() * 25))
      : '規程に定めて運用している';
    evidenceCount[q.id] = careful || rnd() < 0.8 ? 1 : 0;
    const ok = (p: number) => (careful || rnd() < p ? 'accepted' : 'rejected');
    review[q.id] = {
      answer: ok(0.85),
      evidence: ok(0.8),
      notApplicable: ok(0.7),
      ...(rnd() < (careful ? 0.01 : 0.05) ? { exception: { measure: '代替措置', expiresOn: '2028-03-31', by: 'officer' } } : {}),
    };
  }
  return { template, facts: FACTS, tier: pick([1, 2, 3, 4] as const), answers, review, evidenceCount };
}

/** Scores 1,000 assessments and reports the total and per-assessment time. */
export async function run(): Promise<BenchRow[]> {
  const template = syntheticTemplate();
  const inputs = Array.from({ length: ASSESSMENTS }, (_, i) => syntheticAssessment(template, i + 1));
  for (const input of inputs.slice(0, 50)) score(input); // warm the JIT so the figure is steady-state
  const outcomes: Record<string, number> = {};
  const started = process.hrtime.bigint();
  for (const input of inputs) {
    const r = score(input);
    outcomes[r.recommendation.result] = (outcomes[r.recommendation.result] ?? 0) + 1;
  }
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  const mix = Object.entries(outcomes).sort().map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    { area: 'scoring', measure: `${ASSESSMENTS} assessments × ${template.questions.length} questions`, value: Math.round(totalMs), unit: 'ms', note: mix },
    { area: 'scoring', measure: 'per assessment', value: Math.round((totalMs / ASSESSMENTS) * 1000) / 1000, unit: 'ms' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await run()) console.log(`${row.area}\t${row.measure}\t${row.value} ${row.unit}${row.note ? `\t(${row.note})` : ''}`);
}
