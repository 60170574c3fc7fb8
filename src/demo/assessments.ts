/**
 * The demo's assessments: one in every status of the flow (issued, in progress — one of them overdue — submitted, under
 * review, clarification requested, cancelled, decided), answered by the vendors through the same commands as the
 * vendor form, with evidence, review comments and decisions whose conditions are open, done, accepted and overdue.
 *
 * Which questions get a weak answer is chosen from the issued template (the first ○ or ◎ yes/no questions that apply),
 * not by question id, so the demo still loads when a municipality edits its questionnaires. Dates are set back from
 * the day of loading (issue and decision dates), so due dates and overdue conditions always show; the audit log
 * records that `seed:demo` wrote them, when it ran.
 */
import type { WriteContext } from '../audit/actor.js';
import type { AuthUser } from '../auth/principal.js';
import { mapLimited } from '../db/versioned.js';
import { assessmentStore, AssessmentModel, type Assessment } from '../assessments/assessment.model.js';
import { cancelAssessment, issueAssessment } from '../assessments/commands.js';
import { evidenceOf, uploadEvidence } from '../assessments/evidence.js';
import { issueLink, respondentContext } from '../assessments/links.js';
import { currentView, decidingQuestionIds, saveAnswer, submitAssessment } from '../assessments/respond.js';
import { applyReview, type ReviewAction } from '../assessments/review.js';
import { scoreOf } from '../assessments/scoring-input.js';
import { conditionId, conditionStore } from '../decisions/condition.model.js';
import { acceptCondition, markConditionDone } from '../decisions/conditions.commands.js';
import { decide, type DecisionInput } from '../decisions/decide.js';
import { applicableQuestions, type Question, type Template } from '../questionnaires/index.js';
import type { AnswerValue } from '../assessments/answers.model.js';
import { NA } from '../questionnaires/schema.js';
import type { SubjectKind } from '../records/subject.types.js';
// Issuing needs each record kind's subject loader (registered by the records component), also from the CLI.
import '../records/assessment-subjects.js';
import type { DemoDates } from './dates.js';

type Stage = 'issued' | 'in_progress' | 'submitted' | 'under_review' | 'clarification_requested' | 'cancelled' | 'decided';
type ConditionState = 'open' | 'done' | 'accepted' | 'overdue';

export interface DemoAssessment {
  subject: { kind: SubjectKind; name: string };
  templateId: string;
  /** Person keys of organisation.ts: who issued it (procurement of the department). */
  preparer: string;
  issuedDaysAgo: number;
  dueInDays: number;
  stage: Stage;
  /** Share of the applicable questions answered, for `in_progress` (default: all). */
  answeredShare?: number;
  /** How many ○ questions get a partial or negative answer (remediations). */
  remediations?: number;
  /** How many ◎ questions get a negative answer (failed gates, unless excepted below). */
  failedGates?: number;
  /** A security officer's exception on the failed gates, with a compensating measure. */
  exception?: { measure: string; expiresInDays: number };
  /** Which questions a reviewer accepts: all (as before a decision) or a first part (a review in progress). */
  reviewed?: 'all' | 'some';
  comments?: { text: string; visibleToRespondent: boolean }[];
  clarification?: string;
  cancelReason?: string;
  decision?: { result: DecisionInput['result']; reason: string; decidedDaysAgo: number; conditions?: { state: ConditionState; dueInDays: number }[] };
}

/** The security officers who review and decide in the demo (person keys), and the CISO for escalated results. */
const REVIEWER = 'joho_kakaricho';
const DECIDER = 'joho_kacho';

const TEXT_ANSWER = '当社の情報セキュリティ管理規程（第4版）と業務手順書に基づき実施しています。実施記録は保管しており、監査の際に提示できます。';
const ACTION_TAKEN = '是正計画書を提出し、指摘事項への対応を完了した。対応記録（作業報告書）を添付する。';

export function demoAssessments(): DemoAssessment[] {
  const e = (name: string) => ({ kind: 'engagement' as const, name });
  const c = (name: string) => ({ kind: 'cloudService' as const, name });
  const s = (name: string) => ({ kind: 'snsAccount' as const, name });
  return [
    {
      subject: e('防災備蓄品管理システム導入業務'), templateId: 'outsourcing', preparer: 'bosai_shusa', issuedDaysAgo: 2, dueInDays: 26, stage: 'issued',
    },
    {
      subject: e('電子入札システム保守業務'), templateId: 'outsourcing', preparer: 'kanzai_kacho', issuedDaysAgo: 16, dueInDays: 5, stage: 'in_progress', answeredShare: 0.6,
    },
    {
      subject: e('校務支援システム運用支援業務'), templateId: 'outsourcing', preparer: 'kyoiku_shido', issuedDaysAgo: 40, dueInDays: -4, stage: 'in_progress', answeredShare: 0.25,
    },
    {
      subject: e('職員人事給与システム保守業務'), templateId: 'outsourcing', preparer: 'joho_shusa', issuedDaysAgo: 21, dueInDays: 9, stage: 'submitted', remediations: 1,
    },
    {
      subject: e('介護保険システム標準化移行支援業務'), templateId: 'outsourcing', preparer: 'kaigo_shuji', issuedDaysAgo: 30, dueInDays: 2, stage: 'under_review', remediations: 1, reviewed: 'some',
      comments: [
        { text: '再委託先の一覧に、移行作業を行う協力会社が含まれているか確認してください。', visibleToRespondent: true },
        { text: '（内部メモ）前回評価で指摘した教育記録は今回提出あり。', visibleToRespondent: false },
      ],
    },
    {
      subject: e('市税コールセンター運営業務'), templateId: 'outsourcing', preparer: 'zeimu_shusa', issuedDaysAgo: 35, dueInDays: 7, stage: 'clarification_requested', reviewed: 'some',
      comments: [{ text: '通話録音データの保存期間と消去の方法を具体的に記載してください。', visibleToRespondent: true }],
      clarification: '通話録音データの取扱いについて、コメントを付けた設問に追記のうえ再提出をお願いします。',
    },
    {
      subject: e('本庁舎清掃業務'), templateId: 'outsourcing', preparer: 'kanzai_kacho', issuedDaysAgo: 20, dueInDays: 10, stage: 'cancelled',
      cancelReason: '清掃業務では情報資産を取り扱わないことを確認したため、評価を取り消す（誤って発行）。',
    },
    {
      subject: e('住民記録システム運用保守業務'), templateId: 'outsourcing', preparer: 'shimin_kakaricho', issuedDaysAgo: 60, dueInDays: -30, stage: 'decided', reviewed: 'all',
      decision: { result: 'approved', reason: '全ての必須項目を満たし、証跡も確認できたため承認する。', decidedDaysAgo: 35 },
    },
    {
      subject: e('税務システム保守・運用業務'), templateId: 'outsourcing', preparer: 'zeimu_shusa', issuedDaysAgo: 110, dueInDays: -80, stage: 'decided', reviewed: 'all', remediations: 3,
      decision: {
        result: 'conditional', reason: '必須項目は満たしているが、推奨項目に未対応があるため、是正を条件に承認する。', decidedDaysAgo: 75,
        conditions: [{ state: 'overdue', dueInDays: -10 }, { state: 'done', dueInDays: 20 }, { state: 'accepted', dueInDays: -20 }],
      },
    },
    {
      subject: e('庁内ネットワーク運用保守業務'), templateId: 'outsourcing', preparer: 'joho_shusa', issuedDaysAgo: 50, dueInDays: -20, stage: 'decided', reviewed: 'all', failedGates: 1,
      decision: { result: 'rejected', reason: '必須（◎）項目が満たされていないため、このままでは委託できない。是正後に再評価する。', decidedDaysAgo: 12 },
    },
    {
      subject: c('電子申請サービス'), templateId: 'cloud-service', preparer: 'joho_shusa', issuedDaysAgo: 45, dueInDays: -15, stage: 'decided', reviewed: 'all', failedGates: 1, remediations: 1,
      exception: { measure: '当面は申請データを毎日庁内にダウンロードして保管し、事業者側の対応完了までの代替とする', expiresInDays: 60 },
      decision: {
        result: 'conditional', reason: '◎項目の未対応は代替措置を例外として認め、期限までの対応を条件に承認する。', decidedDaysAgo: 20,
        conditions: [{ state: 'open', dueInDays: 60 }, { state: 'open', dueInDays: 40 }],
      },
    },
    {
      subject: c('防災情報一斉配信プラットフォーム'), templateId: 'cloud-service', preparer: 'bosai_shusa', issuedDaysAgo: 25, dueInDays: 3, stage: 'under_review', reviewed: 'some',
      comments: [{ text: '災害時の負荷試験の結果を証跡として添付してください。', visibleToRespondent: true }],
    },
    {
      subject: c('Northwind Meet（Web会議）'), templateId: 'cloud-terms', preparer: 'joho_shusa', issuedDaysAgo: 14, dueInDays: -4, stage: 'decided', reviewed: 'all',
      decision: { result: 'approved', reason: '公開済みの資料の共有に限って利用する。約款の確認結果に問題はない。', decidedDaysAgo: 6 },
    },
    {
      subject: s('@sakuragaoka_city'), templateId: 'sns', preparer: 'koho_kakaricho', issuedDaysAgo: 10, dueInDays: 20, stage: 'submitted',
    },
  ];
}

/** A demo evidence file: a small, valid PDF naming the question (the type is checked from the bytes). */
function evidencePdf(title: string): Buffer {
  const text = title.replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, '');
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** The best answer a question allows: yes, the option worth most, a number meeting the best threshold. */
function goodValue(q: Question): unknown {
  const a = q.answer;
  switch (a.type) {
    case 'yes-no':
      return 'yes';
    case 'single-choice':
      return [...a.options].sort((x, y) => y.points - x.points)[0]!.id;
    case 'multiple-choice': {
      const scoring = a.options.filter((o) => o.points > 0);
      return (scoring.length ? scoring : a.options.slice(0, 1)).map((o) => o.id);
    }
    case 'number': {
      const best = [...(a.thresholds ?? [])].sort((x, y) => y.points - x.points)[0];
      // A bound is inclusive: its own value meets it.
      return Math.min(a.max, Math.max(a.min, best ? best.value : a.min));
    }
    case 'date':
      return null;
    case 'text':
      return TEXT_ANSWER.slice(0, a.maxLength);
    case 'file':
      return undefined;
  }
}

interface Plan {
  /** Question id → the weak value it gets instead of the best one. */
  weak: Map<string, unknown>;
  gates: string[];
}

/** Chooses, from the questions that apply, which ○ and ◎ yes/no questions get a weak answer. */
function planWeakAnswers(spec: DemoAssessment, applicable: { id: string; must?: { level: string }; evidence?: string }[], questions: Map<string, Question>): Plan {
  const yesNo = (level: string) => applicable.filter((d) => d.must?.level === level && questions.get(d.id)!.answer.type === 'yes-no' && d.evidence !== 'required');
  const weak = new Map<string, unknown>();
  yesNo('○').slice(0, spec.remediations ?? 0).forEach((d, i) => weak.set(d.id, i % 2 === 0 && (questions.get(d.id)!.answer as { partial?: boolean }).partial !== false ? 'partial' : 'no'));
  // The last ◎ questions, so that the first sections read as a vendor that mostly complies.
  const gates = spec.failedGates ? yesNo('◎').slice(-spec.failedGates).map((d) => d.id) : [];
  for (const id of gates) weak.set(id, 'no');
  return { weak, gates };
}

/**
 * Answers the questions that apply — `share` of them, the first ones section by section — with evidence where it is
 * asked for. What applies is worked out again (in memory, from the answers given so far) after each answer that
 * decides what else applies (a follow-up's trigger, a must or evidence rule); the other answers are saved several at
 * once, as they are independent documents. Returns the plan of weak answers it followed.
 */
async function answer(ctx: WriteContext, assessmentId: string, spec: DemoAssessment, today: string): Promise<Plan> {
  const a = (await assessmentStore.get(assessmentId))!;
  const { values } = await currentView(a);
  const questions = new Map(a.template.questions.map((q) => [q.id, q]));
  const deciding = new Set(decidingQuestionIds(a.template));
  const withFile = new Set((await evidenceOf(a._id)).map((f) => f.questionId));
  let plan: Plan | null = null;
  const save = async (id: string) => {
    const q = questions.get(id)!;
    const value = plan!.weak.get(id) ?? (q.answer.type === 'date' ? today : goodValue(q));
    const saved = await saveAnswer(ctx, a, id, { value, version: 0 });
    values[id] = saved.value as AnswerValue;
  };
  for (let round = 0; round < 100; round++) {
    const applicable = applicableQuestions(a.template, a.facts, values).questions.filter((q) => q.applies);
    plan ??= planWeakAnswers(spec, applicable, questions);
    const todo = applicable.slice(0, Math.ceil(applicable.length * (spec.answeredShare ?? 1)));
    const uploads = todo.filter((d) => (questions.get(d.id)!.answer.type === 'file' || d.evidence === 'required') && !withFile.has(d.id));
    const unanswered = todo.filter((d) => questions.get(d.id)!.answer.type !== 'file' && values[d.id] === undefined);
    if (uploads.length === 0 && unanswered.length === 0) break;
    const trigger = unanswered.find((d) => deciding.has(d.id));
    if (trigger) {
      await save(trigger.id);
      continue;
    }
    await mapLimited(uploads, 4, async (d) => {
      await uploadEvidence(ctx, a, d.id, `${d.id}_${questions.get(d.id)!.text.ja.slice(0, 20)}.pdf`, evidencePdf(`${d.id} ${a.subject.name}`));
      withFile.add(d.id);
    });
    await mapLimited(unanswered, 6, (d) => save(d.id));
  }
  return plan!;
}

/** Review actions as a security officer takes them: accept what a reviewer must accept, then comment. */
async function review(ctx: WriteContext, assessmentId: string, spec: DemoAssessment, plan: Plan, reviewer: string, addDays: (n: number) => string): Promise<void> {
  const a = (await assessmentStore.get(assessmentId))!;
  const { values, preview } = await currentView(a);
  const files = new Set((await evidenceOf(a._id)).map((f) => f.questionId));
  const actions: ReviewAction[] = [];
  for (const d of preview.questions.filter((q) => q.applies)) {
    const q = a.template.questions.find((x) => x.id === d.id)!;
    if (values[d.id] === NA) actions.push({ action: 'accept', questionId: d.id, target: 'notApplicable' });
    else if (['text', 'date'].includes(q.answer.type) && values[d.id] !== undefined) actions.push({ action: 'accept', questionId: d.id, target: 'answer' });
    else if (q.answer.type === 'file' && files.has(d.id)) actions.push({ action: 'accept', questionId: d.id, target: 'answer' });
    if (files.has(d.id) && q.answer.type !== 'file') actions.push({ action: 'accept', questionId: d.id, target: 'evidence' });
  }
  const chosen = spec.reviewed === 'some' ? actions.slice(0, Math.ceil(actions.length / 3)) : actions;
  if (spec.exception) {
    for (const questionId of plan.gates) chosen.push({ action: 'exception', questionId, measure: spec.exception.measure, expiresOn: addDays(spec.exception.expiresInDays) });
  }
  const commented = [...files][0] ?? preview.questions.find((q) => q.applies)!.id;
  for (const comment of spec.comments ?? []) chosen.push({ action: 'comment', questionId: commented, ...comment });
  // A review leaves a trace even when nothing needed accepting (a questionnaire of yes/no questions only).
  if (chosen.length === 0) chosen.push({ action: 'comment', questionId: commented, text: '回答内容を確認した。', visibleToRespondent: false });
  if (spec.clarification) chosen.push({ action: 'requestClarification', message: spec.clarification });
  // The first action starts the review (submitted → under_review); actions on different questions are independent;
  // a clarification request comes last.
  const [first, ...rest] = chosen;
  const last = rest.at(-1)?.action === 'requestClarification' ? rest.pop()! : null;
  const started = await applyReview(ctx, a, first!, reviewer);
  await mapLimited(rest, 6, (action) => applyReview(ctx, started, action, reviewer));
  if (last) await applyReview(ctx, started, last, reviewer);
}

export interface DemoPeople {
  /** Person key → id and name. */
  person: (key: string) => { id: string; name: string; title: string };
}

function demoOfficer(p: { id: string; name: string }, roles: AuthUser['roles']): AuthUser {
  return { id: p.id, email: '', name: p.name, roles, departmentId: null, mustChangePassword: false, totpEnabled: false, totpEnrolmentRequired: false };
}

/**
 * Loads one demo assessment for a subject up to its stage. Returns the assessment as it ends; the caller skips subjects
 * that already have an assessment (so `--force` adds nothing twice).
 */
export async function loadDemoAssessment(
  ctx: WriteContext,
  spec: DemoAssessment,
  subjectId: string,
  templates: readonly Template[],
  people: DemoPeople,
  d: DemoDates,
): Promise<Assessment> {
  const issuedOn = d.day(-spec.issuedDaysAgo);
  const preparer = people.person(spec.preparer);
  let a = await issueAssessment(
    ctx,
    { id: preparer.id, name: preparer.name },
    templates,
    { subject: { kind: spec.subject.kind, id: subjectId }, templateId: spec.templateId, dueDate: d.day(spec.dueInDays), language: 'ja' },
    () => undefined,
    issuedOn,
  );
  if (a.respondent === 'vendor') a = (await issueLink(ctx, a)).assessment;
  if (spec.stage === 'issued') return a;
  if (spec.stage === 'cancelled') return cancelAssessment(ctx, a._id, spec.cancelReason ?? 'デモ');

  const respondent = a.respondent === 'vendor' ? respondentContext(a) : ctx;
  const plan = await answer(respondent, a._id, spec, issuedOn);
  if (spec.stage === 'in_progress') return (await assessmentStore.get(a._id))!;
  a = await submitAssessment(respondent, (await assessmentStore.get(a._id))!);
  if (spec.stage === 'submitted') return a;

  const reviewer = people.person(REVIEWER).name;
  await review(ctx, a._id, spec, plan, reviewer, d.day);
  a = (await assessmentStore.get(a._id))!;
  if (spec.stage !== 'decided' || !spec.decision) return a;

  const decision = spec.decision;
  const result = await scoreOf(a);
  const escalated = result.recommendation.result === 'escalate';
  const decider = demoOfficer(people.person(DECIDER), escalated ? ['ciso'] : ['security_officer']);
  const owner = people.person(spec.preparer);
  const states = decision.conditions ?? [];
  const conditions = decision.result === 'conditional'
    ? result.proposedConditions.slice(0, Math.max(states.length, 1)).map((p, i) => ({
        text: p.text,
        owner: `${owner.title} ${owner.name}`,
        dueDate: p.dueDate ?? d.day(states[i]?.dueInDays ?? 30),
        questionId: p.questionId,
        kind: p.kind,
      }))
    : [];
  a = await decide(ctx, decider, a, { result: decision.result, reason: decision.reason, conditions }, d.day(-decision.decidedDaysAgo));

  for (const [i, state] of states.entries()) {
    if (state === undefined || i >= conditions.length) break;
    if (state.state !== 'done' && state.state !== 'accepted') continue;
    let condition = (await conditionStore.get(conditionId(a._id, i + 1)))!;
    condition = await markConditionDone(ctx, owner.name, condition, condition.version, ACTION_TAKEN);
    if (state.state === 'accepted') await acceptCondition(ctx, people.person(REVIEWER).name, condition, condition.version);
  }
  return a;
}

/** Whether the subject already has an assessment (of any status). */
export async function hasAssessment(subjectId: string): Promise<boolean> {
  return (await AssessmentModel.exists({ 'subject.id': subjectId })) !== null;
}
