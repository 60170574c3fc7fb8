/**
 * `GET /api/v1/assessments/:id/report.xlsx`: the 評価報告書 — a summary (subject, tier and why, C, gates, L, R,
 * recommendation, decision with a flag when it departs from the recommendation, conditions), every answer with its
 * points and contribution, and the sums, so the arithmetic can be checked by hand. A small workbook: written in
 * memory. Every text goes in as a string value, never a formula.
 */
import ExcelJS from 'exceljs';
import { contextOf } from '../audit/actor.js';
import { appendAudit } from '../audit/log.js';
import type { Assessment } from '../assessments/assessment.model.js';
import { assessmentFor } from '../assessments/assessments.routes.js';
import { answersOf } from '../assessments/answers.model.js';
import { evidenceOf } from '../assessments/evidence.js';
import { scoreOf } from '../assessments/scoring-input.js';
import { STATUS_LABELS } from '../assessments/status.js';
import { ConditionModel, conditionStore, type Condition } from '../decisions/condition.model.js';
import type { StoredDecision } from '../decisions/decide.js';
import { can, type ApiRegistry } from '../http/route.js';
import { IdParam } from '../http/schemas.js';
import { KIND_LABELS } from '../records/index.js';
import type { ScoreResult } from '../scoring/index.js';
import { toWareki } from '../shared/wareki.js';
import { setDownloadHeaders, safeFileName, XLSX_TYPE } from './download.js';
import { CONDITION_STATUS_LABELS, RESULT_LABELS } from './labels.js';
import { cleanText } from './registers/cells.js';

const FONT = { name: 'Yu Gothic', size: 10 };
const FLAG_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF8CBAD' } };
const HEAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
const hundredths = (n: number): number => n / 100;
const text = (s: string | null | undefined): string => cleanText(s ?? '');
const YES_NO: Record<string, string> = { yes: 'はい', partial: '一部', no: 'いいえ', na: '該当なし' };
const MUST = { '◎': '◎ 必須', '○': '○ 必須（是正計画可）', '△': '△ 採点のみ' } as Record<string, string>;

/** The answer as people read it: option labels, 和暦 dates, numbers with their unit. */
function answerText(a: Assessment, q: ScoreResult['questions'][number]): string {
  const v = q.answer;
  if (v === null || v === undefined) return '（未回答）';
  if (v === 'na') return '該当なし';
  const spec = a.template.questions.find((x) => x.id === q.id)?.answer;
  const option = (id: string): string => (spec && 'options' in spec ? (spec.options.find((o) => o.id === id)?.label.ja ?? id) : (YES_NO[id] ?? id));
  if (Array.isArray(v)) return v.map((x) => option(String(x))).join('、');
  if (spec?.type === 'number') return `${v}${spec.unit.ja}`;
  if (spec?.type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return toWareki(v);
  return spec?.type === 'yes-no' || spec?.type === 'single-choice' ? option(String(v)) : String(v);
}

function styleHeader(row: ExcelJS.Row): void {
  row.eachCell((c) => {
    c.font = { ...FONT, bold: true };
    c.fill = HEAD_FILL;
    c.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
}

/** The workbook of one assessment (pure apart from its inputs). */
export async function reportWorkbook(a: Assessment, score: ScoreResult, comments: Map<string, string>, files: Map<string, string[]>, conditions: Condition[]): Promise<Buffer> {
  const decision = a.decision as unknown as StoredDecision | null;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Itaku';

  const summary = wb.addWorksheet('概要', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  summary.columns = [{ width: 26 }, { width: 90 }];
  summary.addRow([text(`評価報告書　${a.subject.name}`)]).font = { ...FONT, size: 14, bold: true };
  const line = (label: string, value: string | number | null, flagged = false): void => {
    const row = summary.addRow([label, typeof value === 'number' ? value : text(value ?? '')]);
    row.getCell(1).font = { ...FONT, bold: true };
    row.getCell(2).font = FONT;
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    if (flagged) row.getCell(2).fill = FLAG_FILL;
  };
  const t = score.totals;
  const rec = score.recommendation;
  line('対象', `${KIND_LABELS[a.subject.kind]}　${a.subject.name}`);
  line('事業者', a.vendorName);
  line('質問票', `${a.template.title.ja}（${a.templateId} 第${a.templateVersion}版）`);
  line('発行日・回答期限', `${toWareki(a.issuedOn)}・${toWareki(a.dueDate)}`);
  line('状態', STATUS_LABELS[a.status].ja);
  line('採点方式', `${score.method.name} 第${score.method.version}版（評価日 ${toWareki(score.date)}）`);
  line('固有リスク区分 T', score.tier);
  line('区分の理由', a.tier.reasons.map((r) => `・${r.text}`).join('\n'));
  line('管理策スコア C', t.controlScoreText ?? '算定できません（採点対象の設問がありません）');
  line('Σw（重みの合計）', t.sumWeights);
  line('Σw·p（加重得点の合計）', hundredths(t.sumWeightedPointsHundredths));
  line('C の計算', t.controlScore === null ? '—' : `100 × ${hundredths(t.sumWeightedPointsHundredths)} ÷ ${t.sumWeights} = ${t.controlScoreText}`);
  line('発生可能性 L', score.likelihood ?? '—');
  line('残留リスク R = T × L', score.residual === null ? '—' : `${score.residual}（T${score.tier} × L${score.likelihood}）`);
  line('必須（◎）の不充足', score.gates.failed.map((g) => g.questionId).join('、') || 'なし', score.gates.failed.length > 0);
  line('例外（代替措置）', score.gates.excepted.map((g) => `${g.questionId}: ${g.exception.measure}（${toWareki(g.exception.expiresOn)}まで）`).join('\n') || 'なし');
  line('是正が必要な○設問', score.remediations.map((g) => g.questionId).join('、') || 'なし');
  line('推奨', `${RESULT_LABELS[rec.result] ?? rec.result} — ${rec.ja}`);
  if (decision) {
    line('判断', `${RESULT_LABELS[decision.result] ?? decision.result}（${toWareki(decision.decidedOn)}　${decision.decidedBy.name}）`);
    line('判断の理由', decision.reason);
    line(
      '推奨との相違',
      decision.deviates ? `あり：推奨（${RESULT_LABELS[decision.recommendation.result] ?? decision.recommendation.result}）と異なる判断（${RESULT_LABELS[decision.result] ?? decision.result}）です` : 'なし（推奨どおりの判断）',
      decision.deviates,
    );
    const byId = new Map(conditions.map((c) => [c._id, c]));
    const conditionLines = decision.conditions.map((c) => {
      const status = byId.get(c.id)?.status ?? 'open';
      return `（${c.number}）${c.text}／対応: ${c.owner}／期限: ${toWareki(c.dueDate)}／状態: ${CONDITION_STATUS_LABELS[status] ?? status}`;
    });
    line('条件', conditionLines.join('\n') || 'なし');
  } else {
    line('判断', '未判断');
  }

  const answers = wb.addWorksheet('回答', { views: [{ state: 'frozen', ySplit: 1 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  answers.columns = [
    { header: '設問', width: 8 }, { header: '区分', width: 18 }, { header: '設問文', width: 50 }, { header: '必須', width: 14 }, { header: '重み w', width: 8 },
    { header: '回答', width: 22 }, { header: 'コメント', width: 30 }, { header: '証跡', width: 28 }, { header: '得点 p', width: 9 }, { header: '寄与 w×p', width: 10 },
    { header: '理由', width: 30 }, { header: '判定', width: 16 },
  ];
  styleHeader(answers.getRow(1));
  const sectionTitle = new Map(score.sections.map((s) => [s.id, s.title.ja]));
  for (const q of score.questions) {
    const evidence = [...(files.get(q.id) ?? []), ...(q.evidence.required ? [`（必須: ${q.evidence.review === 'accepted' ? '受理' : q.evidence.review === 'rejected' ? '差戻し' : '未審査'}${q.evidence.capped ? '、得点は0.5まで' : ''}）`] : [])];
    const verdict = q.gate === 'failed' ? '◎ 不充足' : q.gate === 'excepted' ? '◎ 例外あり' : q.remediation ? '○ 是正が必要' : q.scorable ? '' : '採点対象外';
    const row = answers.addRow([
      q.id, text(sectionTitle.get(q.section) ?? q.section), text(q.text.ja), MUST[q.must.level] ?? q.must.level, q.weight, text(answerText(a, q)), text(comments.get(q.id)),
      text(evidence.join('\n')), hundredths(q.pointsHundredths), hundredths(q.contributionHundredths), text(q.reason.ja), verdict,
    ]);
    row.font = FONT;
    row.alignment = { vertical: 'top', wrapText: true };
    row.getCell(9).numFmt = '0.00';
    row.getCell(10).numFmt = '0.00';
    if (q.gate === 'failed') row.getCell(12).fill = FLAG_FILL;
  }

  const sums = wb.addWorksheet('集計');
  sums.columns = [{ header: '区分', width: 36 }, { header: 'Σw', width: 10 }, { header: 'Σw·p', width: 12 }, { header: 'C', width: 10 }];
  styleHeader(sums.getRow(1));
  for (const s of score.sections) {
    sums.addRow([text(s.title.ja), s.sumWeights, hundredths(s.sumWeightedPointsHundredths), s.controlScoreText ?? '—']).font = FONT;
  }
  const total = sums.addRow(['合計', t.sumWeights, hundredths(t.sumWeightedPointsHundredths), t.controlScoreText ?? '—']);
  total.font = { ...FONT, bold: true };
  sums.addRow([]);
  sums.addRow([text('C = 100 × Σw·p ÷ Σw（採点対象の設問のみ）。L: C ≥ 85 → 1、70〜84.9 → 2、50〜69.9 → 3、50未満 → 4。R = T × L。')]).font = FONT;
  sums.getColumn(3).numFmt = '0.00';

  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The report route. */
export function registerReportRoutes(api: ApiRegistry): void {
  api.add({
    method: 'get',
    path: '/api/v1/assessments/:id/report.xlsx',
    summary: '評価報告書（Excel） / Assessment report: summary, answers with points, the sums',
    description:
      'Summary (subject, tier and reasons, C, gates, L, R, recommendation, decision — flagged when it differs from the recommendation — and conditions), every answer with comment, evidence, points and contribution, and the sums per section. A decided assessment shows the result it was decided on. Audited (`report.export`).',
    tags: ['documents'],
    access: can('downloads'),
    params: IdParam,
    responses: { 200: { description: 'The report (.xlsx)', contentType: XLSX_TYPE } },
    handler: async ({ req, res, params }) => {
      const a = await assessmentFor(req, params.id, 'downloads');
      const [score, answers, evidence, conditionDocs] = await Promise.all([
        scoreOf(a),
        answersOf(a._id),
        evidenceOf(a._id),
        ConditionModel.find({ assessmentId: a._id }).lean() as Promise<Condition[]>,
      ]);
      const files = new Map<string, string[]>();
      for (const f of evidence) files.set(f.questionId, [...(files.get(f.questionId) ?? []), f.filename]);
      const comments = new Map(answers.filter((x) => x.comment).map((x) => [x.questionId, x.comment]));
      const bytes = await reportWorkbook(a, score, comments, files, await conditionStore.rollForward(conditionDocs));
      await appendAudit(contextOf(req), { action: 'report.export', entity: 'assessment', entityId: a._id, detail: { subject: a.subject, status: a.status } });
      setDownloadHeaders(res, XLSX_TYPE, safeFileName(`評価報告書_${a.subject.name}`, 'xlsx'));
      res.status(200).end(bytes);
    },
  });
}
