/**
 * Turns one parsed template file into a Template, or into problems on the lines that caused them: schema first (zod),
 * then what a schema cannot see — file name against id and version, duplicate ids, conditions (names, values, and
 * answers only of earlier questions, so there can be no cycle), must rules, number thresholds, sources.
 */
import { basename } from 'node:path';
import { type FieldInfo, fieldsOf, type Scope, subjectScope } from '../conditions/index.js';
import { KNOWN_KEYS, NA, type QuestionData, TemplateFile, type TemplateFileData, type TextData } from './schema.js';
import type {
  AnswerSpec,
  CompiledCondition,
  EvidenceSpec,
  LocalText,
  MustSpec,
  Question,
  Sources,
  Template,
  ThresholdSpec,
} from './template.js';
import { answerField } from './template.js';
import { type ContentProblem, conditionAt, type DataPath, positionOf, problemAt, type YamlSource, zodProblems } from './yaml-source.js';
import { jaErrorMap } from './zod-messages.js';

const RANK: Record<string, number> = { '△': 1, '○': 2, '◎': 3 };
/** Annex A of ISO/IEC 27001:2022: controls per theme. */
const ISO27001_CONTROLS: Record<string, number> = { '5': 37, '6': 8, '7': 14, '8': 34 };

export const localText = (t: TextData): LocalText => (typeof t === 'string' ? { ja: t } : t.en ? { ja: t.ja, en: t.en } : { ja: t.ja });

export interface CompileInput {
  source: YamlSource;
  data: unknown;
  origin: 'shipped' | 'override';
  sha256: string;
}

export function compileTemplate(input: CompileInput): { template?: Template; problems: ContentProblem[] } {
  const { source, data } = input;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { problems: [problemAt(source, [], 'invalid_value', 'テンプレートは「id: …」などの項目の集まりで書いてください')] };
  }
  const parsed = TemplateFile.safeParse(data, { error: jaErrorMap });
  if (!parsed.success) return { problems: zodProblems(source, data, parsed.error, KNOWN_KEYS) };
  return new Compiler(input, parsed.data).run();
}

class Compiler {
  private readonly problems: ContentProblem[] = [];
  private readonly source: YamlSource;
  constructor(
    private readonly input: CompileInput,
    private readonly data: TemplateFileData,
  ) {
    this.source = input.source;
  }

  private report(path: DataPath, code: string, message: string, key = false): void {
    this.problems.push(problemAt(this.source, path, code, message, { key }));
  }

  private condition(path: DataPath, text: string, scope: Scope): CompiledCondition | undefined {
    const result = conditionAt(this.source, path, text, scope);
    if (result.problem) {
      this.problems.push(result.problem);
      return undefined;
    }
    return { text, ast: result.ast, line: positionOf(this.source, path).line };
  }

  run(): { template?: Template; problems: ContentProblem[] } {
    const d = this.data;
    const expected = `${d.id}@${d.version}.yaml`;
    if (basename(this.source.file) !== expected) {
      this.report(['id'], 'file_name', `ファイル名は「${expected}」にしてください（id と version から決まります）`);
    }

    // Where every question sits, for duplicate checks and for "answer of a later question" messages.
    const index = new Map<string, { order: number; path: DataPath }>();
    const sectionIds = new Map<string, number>();
    const flat: { data: QuestionData; section: string; path: DataPath }[] = [];
    d.sections.forEach((section, s) => {
      const first = sectionIds.get(section.id);
      if (first !== undefined) {
        this.report(['sections', s, 'id'], 'duplicate_id', `区分ID「${section.id}」が重複しています（最初は ${first} 行目）`);
      } else {
        sectionIds.set(section.id, positionOf(this.source, ['sections', s, 'id']).line);
      }
      section.questions.forEach((q, i) => {
        const path: DataPath = ['sections', s, 'questions', i];
        const seen = index.get(q.id);
        if (seen) {
          const line = positionOf(this.source, [...seen.path, 'id']).line;
          this.report([...path, 'id'], 'duplicate_id', `設問ID「${q.id}」が重複しています（最初は ${line} 行目）`);
          return;
        }
        index.set(q.id, { order: flat.length, path });
        flat.push({ data: q, section: section.id, path });
      });
    });

    const answers = new Map<string, FieldInfo>();
    const questions: Question[] = [];
    for (const [order, entry] of flat.entries()) {
      const scopeFor = (self: boolean): Scope => {
        const visible = self ? new Map([...answers, [entry.data.id, this.fieldOf(entry.data)]]) : new Map(answers);
        return {
          ...subjectScope(visible),
          unknownAnswer: (id) => {
            const other = index.get(id);
            if (id === entry.data.id) return `設問 ${id} 自身の回答はここでは使えません（証跡の when でのみ使えます）`;
            if (other && other.order > order) return `設問 ${id} はこの設問より後にあります。条件で読めるのは前にある設問の回答だけです`;
            return `設問 ${id} はこのテンプレートにありません`;
          },
        };
      };
      const question = this.question(entry.data, entry.section, entry.path, scopeFor(false), scopeFor(true), index);
      answers.set(entry.data.id, this.fieldOf(entry.data));
      if (question) questions.push(question);
    }

    const when = d.when === undefined ? undefined : this.condition(['when'], d.when, subjectScope('none'));
    if (this.problems.length > 0) return { problems: this.problems };
    const template: Template = {
      id: d.id,
      version: d.version,
      key: `${d.id}@${d.version}`,
      status: d.status,
      title: localText(d.title),
      ...(d.notes === undefined ? {} : { notes: localText(d.notes) }),
      subjects: d.subjects,
      respondent: d.respondent,
      ...(when ? { when } : {}),
      sections: d.sections.map((s) => ({ id: s.id, title: localText(s.title), questionIds: s.questions.map((q) => q.id) })),
      questions,
      file: this.source.file,
      sha256: this.input.sha256,
      origin: this.input.origin,
    };
    return { template, problems: [] };
  }

  private fieldOf(q: QuestionData): FieldInfo {
    return answerField({ id: q.id, answer: this.answer(q, [], false) ?? { type: 'text', maxLength: 1, notApplicable: false } });
  }

  private question(
    q: QuestionData,
    section: string,
    path: DataPath,
    scope: Scope,
    selfScope: Scope,
    index: Map<string, { order: number }>,
  ): Question | undefined {
    const before = this.problems.length;
    const answer = this.answer(q, [...path, 'answer'], true);
    const must = this.must(q, path, scope);
    const evidence = this.evidence(q, path, selfScope);
    const applies = q.applies === undefined ? undefined : this.condition([...path, 'applies'], q.applies, scope);
    let followUp: Question['followUp'];
    if (q.followUp) {
      const parent = index.get(q.followUp.of);
      const me = index.get(q.id);
      if (!parent || !me || parent.order >= me.order) {
        this.report([...path, 'followUp', 'of'], 'follow_up', `追問の元「${q.followUp.of}」は、この設問より前にある設問IDにしてください`);
      } else {
        const when = this.condition([...path, 'followUp', 'when'], q.followUp.when, scope);
        if (when && !fieldsOf(when.ast).includes(`answer.${q.followUp.of}`)) {
          this.report([...path, 'followUp', 'when'], 'follow_up', `追問の条件では元の設問の回答（answer.${q.followUp.of}）を使ってください`);
        } else if (when) {
          followUp = { of: q.followUp.of, when };
        }
      }
    }
    const sources = this.sources(q, path);
    if (this.problems.length > before || !answer || !must) return undefined;
    return {
      id: q.id,
      section,
      text: localText(q.text),
      ...(q.help === undefined ? {} : { help: localText(q.help) }),
      answer,
      weight: q.weight as 1 | 2 | 3,
      must,
      evidence,
      ...(applies ? { applies } : {}),
      ...(followUp ? { followUp } : {}),
      sources,
      line: positionOf(this.source, [...path, 'id']).line,
    };
  }

  /** Normalises the answer; with `check`, reports option and threshold problems. */
  private answer(q: QuestionData, path: DataPath, check: boolean): AnswerSpec | undefined {
    const a = q.answer;
    const notApplicable = a.notApplicable ?? false;
    const ok = this.problems.length;
    switch (a.type) {
      case 'yes-no':
        return { type: 'yes-no', partial: a.partial ?? true, notApplicable };
      case 'single-choice':
      case 'multiple-choice': {
        if (check) {
          const seen = new Set<string>();
          a.options.forEach((o, i) => {
            if (o.id === NA) this.report([...path, 'options', i, 'id'], 'option', `選択肢ID「${NA}」は「該当なし」用に予約されています。notApplicable: true を使ってください`);
            else if (seen.has(o.id)) this.report([...path, 'options', i, 'id'], 'duplicate_id', `選択肢ID「${o.id}」が重複しています`);
            seen.add(o.id);
          });
        }
        const options = a.options.map((o) => ({ id: o.id, label: localText(o.label), points: o.points }));
        return { type: a.type, options, notApplicable };
      }
      case 'number': {
        const thresholds: ThresholdSpec[] = [];
        a.thresholds?.forEach((t, i) => {
          const tPath = [...path, 'thresholds', i];
          if ((t.max === undefined) === (t.min === undefined)) {
            if (check) this.report(tPath, 'threshold', '閾値には max か min のどちらか一つを書いてください');
            return;
          }
          const bound = t.max === undefined ? 'min' : 'max';
          thresholds.push({ bound, value: (t.max ?? t.min) as number, points: t.points });
        });
        if (check) this.checkNumber(a.min, a.max, thresholds, path);
        if (this.problems.length > ok && check) return undefined;
        return {
          type: 'number',
          unit: localText(a.unit),
          min: a.min,
          max: a.max,
          integer: a.integer ?? false,
          thresholds,
          otherwise: a.otherwise ?? 0,
          notApplicable,
        };
      }
      case 'date':
        return { type: 'date', notApplicable };
      case 'text':
        return { type: 'text', maxLength: a.maxLength ?? 2000, notApplicable };
      case 'file':
        return { type: 'file', notApplicable };
    }
  }

  private checkNumber(min: number, max: number, thresholds: ThresholdSpec[], path: DataPath): void {
    if (min >= max) this.report([...path, 'max'], 'number_range', `max（${max}）は min（${min}）より大きくしてください`);
    const kinds = new Set(thresholds.map((t) => t.bound));
    if (kinds.size > 1) {
      this.report([...path, 'thresholds'], 'threshold', '閾値は全部 max（小さいほど良い）か全部 min（大きいほど良い）のどちらかにそろえてください');
      return;
    }
    thresholds.forEach((t, i) => {
      const tPath = [...path, 'thresholds', i];
      if (t.value < min || t.value > max) this.report(tPath, 'threshold', `閾値 ${t.value} が回答の範囲（${min}〜${max}）の外です`);
      const prev = thresholds[i - 1];
      if (prev && (t.bound === 'max' ? t.value <= prev.value : t.value >= prev.value)) {
        const order = t.bound === 'max' ? '小さい順（max）' : '大きい順（min）';
        this.report(tPath, 'threshold', `閾値は${order}に並べてください（${prev.value} の次に ${t.value}）`);
      }
    });
  }

  private must(q: QuestionData, path: DataPath, scope: Scope): MustSpec | undefined {
    if (typeof q.must === 'string') return { level: q.must, rules: [] };
    const base = q.must.level;
    const rules: MustSpec['rules'] = [];
    let ok = true;
    (q.must.rules ?? []).forEach((rule, i) => {
      const rPath = [...path, 'must', 'rules', i];
      if (rule.when === undefined && rule.from === undefined) {
        this.report(rPath, 'must_rule', '規則には when（条件）か from（適用開始日）を書いてください');
        ok = false;
        return;
      }
      if ((RANK[rule.level] ?? 0) <= (RANK[base] ?? 0)) {
        this.report([...rPath, 'level'], 'must_rule', `規則の必須度（${rule.level}）は基本の必須度（${base}）より厳しくしてください。規則は必須度を上げるだけです`);
        ok = false;
      }
      const when = rule.when === undefined ? undefined : this.condition([...rPath, 'when'], rule.when, scope);
      if (rule.when !== undefined && !when) ok = false;
      rules.push({ ...(when ? { when } : {}), ...(rule.from ? { from: rule.from } : {}), level: rule.level });
    });
    return ok ? { level: base, rules } : undefined;
  }

  private evidence(q: QuestionData, path: DataPath, scope: Scope): EvidenceSpec {
    const e = q.evidence;
    if (e === undefined) return { level: 'none' };
    if (typeof e === 'string') return { level: e };
    if (e.level === 'none' && (e.when !== undefined || e.what !== undefined)) {
      this.report([...path, 'evidence', 'level'], 'evidence', '証跡が none のときは what と when を書かないでください');
    }
    const when = e.when === undefined ? undefined : this.condition([...path, 'evidence', 'when'], e.when, scope);
    return { level: e.level, ...(e.what ? { what: localText(e.what) } : {}), ...(when ? { when } : {}) };
  }

  private sources(q: QuestionData, path: DataPath): Sources {
    const s = q.sources;
    if (Object.values(s).every((list) => list === undefined || list.length === 0)) {
      this.report([...path, 'sources'], 'sources', '出典（guideline・iso27001 など）を一つ以上書いてください');
    }
    s.iso27001?.forEach((ref, i) => {
      if (!isIso27001Control(ref)) {
        this.report([...path, 'sources', 'iso27001', i], 'sources', `「${ref}」は ISO/IEC 27001:2022 附属書A の管理策番号ではありません（5.1〜5.37, 6.1〜6.8, 7.1〜7.14, 8.1〜8.34、範囲は 8.25-8.32）`);
      }
    });
    s.iso27017?.forEach((ref, i) => {
      if (!/^(CLD\.)?\d{1,2}(\.\d{1,2}){1,3}$/.test(ref)) {
        this.report([...path, 'sources', 'iso27017', i], 'sources', `「${ref}」は ISO/IEC 27017 の管理策番号の形ではありません（例: CLD.6.3.1, 12.4.5）`);
      }
    });
    return s;
  }
}

function isIso27001Control(ref: string): boolean {
  const m = /^([5-8])\.(\d{1,2})(?:\s*[-–〜]\s*([5-8])\.(\d{1,2}))?$/.exec(ref);
  if (!m) return false;
  const valid = (theme: string, n: string): boolean => Number(n) >= 1 && Number(n) <= (ISO27001_CONTROLS[theme] ?? 0);
  if (!valid(m[1] as string, m[2] as string)) return false;
  if (m[3] === undefined) return true;
  return m[3] === m[1] && valid(m[3], m[4] as string) && Number(m[4]) > Number(m[2]);
}
