/**
 * The shape of a template file as written (before conditions are parsed and cross-checks run). Strict objects
 * everywhere: an unknown key is almost always a typo ("aplies") that would otherwise silently drop a rule.
 * The format is documented in questionnaires/README.md; keep the two in step.
 */
import { z } from 'zod';
import { isIsoDate } from '../conditions/index.js';

export const TEMPLATE_ID = /^[a-z][a-z0-9-]{1,40}$/;
export const QUESTION_ID = /^[A-Z][A-Za-z0-9_]{1,15}$/;
export const SECTION_ID = /^[A-Z][A-Za-z0-9_]{0,15}$/;
export const OPTION_ID = /^[a-z][a-z0-9_]{0,30}$/;
/** The answer value meaning 該当なし; reserved, so no option may use it. */
export const NA = 'na';

export const MAX_ABS_NUMBER = 1e9;

/** Japanese text, with an optional English version. A plain string is Japanese only. */
const Text = (max: number) =>
  z.union(
    [
      z.string().trim().min(1).max(max),
      z.strictObject({ ja: z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max).optional() }),
    ],
    { error: `文章は「{ ja: 日本語, en: English }」か日本語の文字列で、${max}文字までです` },
  );

/** Points in [0, 1] in steps of 0.05, so sums stay exact enough to explain by hand. */
export const Points = z
  .number()
  .min(0)
  .max(1)
  .refine((p) => Math.abs(p * 20 - Math.round(p * 20)) < 1e-9, { error: '点数は 0〜1 の 0.05 刻みで書いてください' });

const BoundedNumber = z.number().refine((n) => Number.isFinite(n) && Math.abs(n) <= MAX_ABS_NUMBER, {
  error: `数値は絶対値 ${MAX_ABS_NUMBER} 以下で書いてください`,
});

const MUST_ALIASES = {
  '◎': '◎',
  knockout: '◎',
  '○': '○',
  '〇': '○',
  '◯': '○',
  required: '○',
  '△': '△',
  scored: '△',
} as const;
export type MustLevel = '◎' | '○' | '△';
export const MustLevelInput = z
  .enum(Object.keys(MUST_ALIASES) as [keyof typeof MUST_ALIASES, ...(keyof typeof MUST_ALIASES)[]], {
    error: '必須度は ◎（knockout）・○（required）・△（scored）のいずれかです',
  })
  .transform((v): MustLevel => MUST_ALIASES[v]);

const Condition = z.string().trim().min(1, { error: '条件が空です' });
const IsoDate = z.string().refine(isIsoDate, { error: '日付は "2027-07-01" の形で、実在する日を書いてください' });

const MustRule = z.strictObject({
  when: Condition.optional(),
  from: IsoDate.optional(),
  level: MustLevelInput,
});

const Must = z.union(
  [MustLevelInput, z.strictObject({ level: MustLevelInput, rules: z.array(MustRule).max(20).optional() })],
  { error: '必須度は ◎・○・△ のいずれか、又は「{ level: ○, rules: [...] }」の形で書いてください' },
);

const Option = z.strictObject({
  id: z.string().regex(OPTION_ID, { error: '選択肢IDは英小文字で始まる英小文字・数字・_ です（例: certified）' }),
  label: Text(200),
  points: Points,
});

const na = z.boolean().optional();

const Threshold = z.strictObject({ max: BoundedNumber.optional(), min: BoundedNumber.optional(), points: Points });

const Answer = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('yes-no'), partial: z.boolean().optional(), notApplicable: na }),
    z.strictObject({ type: z.literal('single-choice'), options: z.array(Option).min(2).max(30), notApplicable: na }),
    z.strictObject({ type: z.literal('multiple-choice'), options: z.array(Option).min(2).max(30), notApplicable: na }),
    z.strictObject({
      type: z.literal('number'),
      unit: Text(40),
      min: BoundedNumber,
      max: BoundedNumber,
      integer: z.boolean().optional(),
      thresholds: z.array(Threshold).max(20).optional(),
      otherwise: Points.optional(),
      notApplicable: na,
    }),
    z.strictObject({ type: z.literal('date'), notApplicable: na }),
    z.strictObject({ type: z.literal('text'), maxLength: z.number().int().min(1).max(10000).optional(), notApplicable: na }),
    z.strictObject({ type: z.literal('file'), notApplicable: na }),
  ],
  { error: '回答の型（type）は yes-no, single-choice, multiple-choice, number, date, text, file のいずれかです' },
);

const EvidenceLevel = z.enum(['none', 'optional', 'required'], { error: '証跡は none・optional・required のいずれかです' });
const Evidence = z.union(
  [EvidenceLevel, z.strictObject({ level: EvidenceLevel, what: Text(300).optional(), when: Condition.optional() })],
  { error: '証跡は none・optional・required のいずれか、又は「{ level: required, what: …, when: … }」の形で書いてください' },
);

const Refs = z.array(z.string().trim().min(1).max(120)).min(1).max(20).optional();
const Sources = z.strictObject({
  guideline: Refs,
  iso27001: Refs,
  iso27017: Refs,
  ismap: Refs,
  law: Refs,
  /** Numbers of the 13 items a contract must state (requirements §2). */
  contract: z.array(z.number().int().min(1).max(13)).min(1).max(13).optional(),
  other: Refs,
});

const Question = z.strictObject({
  id: z.string().regex(QUESTION_ID, { error: '設問IDは英大文字で始まる2〜16文字です（例: A01）' }),
  text: Text(1000),
  help: Text(4000).optional(),
  answer: Answer,
  weight: z.number().int({ error: '重みは 1・2・3 のいずれかです' }).min(1).max(3),
  must: Must,
  evidence: Evidence.optional(),
  applies: Condition.optional(),
  followUp: z.strictObject({ of: z.string().regex(QUESTION_ID), when: Condition }).optional(),
  sources: Sources,
});

const Section = z.strictObject({
  id: z.string().regex(SECTION_ID, { error: '区分IDは英大文字で始まります（例: A）' }),
  title: Text(200),
  questions: z.array(Question).min(1).max(200),
});

export const TemplateFile = z.strictObject({
  id: z.string().regex(TEMPLATE_ID, { error: 'テンプレートIDは英小文字で始まる英小文字・数字・- です（例: cloud-service）' }),
  version: z.number().int({ error: '版は 1 以上の整数です' }).min(1).max(9999),
  status: z.enum(['draft', 'published']),
  title: Text(200),
  notes: Text(8000).optional(),
  subjects: z.array(z.enum(['engagement', 'cloudService', 'snsAccount'])).min(1).max(3),
  respondent: z.enum(['vendor', 'staff']),
  when: Condition.optional(),
  sections: z.array(Section).min(1).max(50),
});

export type TemplateFileData = z.output<typeof TemplateFile>;
export type QuestionData = z.output<typeof Question>;
export type AnswerData = z.output<typeof Answer>;
export type TextData = z.output<ReturnType<typeof Text>>;

/** Every key the format knows, for "did you mean" hints on typos. */
export const KNOWN_KEYS = [
  'id', 'version', 'status', 'title', 'notes', 'subjects', 'respondent', 'when', 'sections', 'questions', 'text',
  'help', 'answer', 'type', 'partial', 'notApplicable', 'options', 'label', 'points', 'unit', 'min', 'max', 'integer',
  'thresholds', 'otherwise', 'maxLength', 'weight', 'must', 'level', 'rules', 'from', 'evidence', 'what', 'applies',
  'followUp', 'of', 'sources', 'guideline', 'iso27001', 'iso27017', 'ismap', 'law', 'contract', 'other', 'ja', 'en',
] as const;
