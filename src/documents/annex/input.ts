/**
 * Checks an AnnexInput before anything is built. The records behind it are validated when saved; this guards the
 * document itself: a control character makes the docx unreadable in Word, an impossible date cannot be written in
 * 和暦, and a 約款型 service has no contract to attach an annex to.
 */
import { z } from 'zod';
import { isPlainDate } from '../../shared/dates.js';
import { hasControlChars, hasSingleLineControlChars } from '../../shared/text.js';
import { AnnexError, type AnnexInput } from './types.js';

const Name = (max: number) =>
  z.string().trim().min(1, { error: '空にできません' }).max(max).refine((s) => !hasSingleLineControlChars(s), { error: '制御文字・改行は使えません' });
const Text = (max: number) =>
  z.string().trim().min(1, { error: '空にできません' }).max(max).refine((s) => !hasControlChars(s), { error: '制御文字は使えません' });
const PlainDate = z.string().refine(isPlainDate, { error: '日付は YYYY-MM-DD の形で、実在する日を書いてください' });
// Eras before 明治6年 cannot be shown in 和暦; no contract of this tool is dated before 1980 anyway.
const DocDate = PlainDate.refine((d) => d >= '1980-01-01', { error: '1980年以降の日付にしてください' });

const Shape = z.object({
  municipality: z.object({ name: Name(100), mayorTitle: Name(100), address: Name(200) }),
  vendor: z.object({ name: Name(200), address: Name(300), representative: Name(100).nullish() }),
  contract: z.object({ title: Name(200), number: Name(60).nullish(), start: DocDate.nullish(), end: DocDate.nullish() }),
  assets: z
    .array(
      z.object({
        name: Name(200),
        confidentiality: z.object({ level: Name(10) }),
        integrity: z.union([z.literal(1), z.literal(2)]),
        availability: z.union([z.literal(1), z.literal(2)]),
        personalData: z.boolean(),
        myNumber: z.boolean(),
      }),
    )
    .max(200),
  conditions: z.array(z.object({ text: Text(1000), dueDate: DocDate })).max(100),
  parameters: z
    .object({
      firstReportHours: z.number().int().min(1).max(720).optional(),
      dataLocation: Name(100).optional(),
      court: Name(100).optional(),
    })
    .optional(),
  issueDate: DocDate,
});

/** Throws AnnexError naming every bad field, or `terms_service` for a 約款型 service. */
export function checkAnnexInput(input: AnnexInput): void {
  const parsed = Shape.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    throw new AnnexError('invalid_input', `特記事項の入力に誤りがあります: ${details.map((d) => `${d.path}: ${d.message}`).join('、')}`, details);
  }
  const { start, end } = parsed.data.contract;
  if (start && end && end < start) {
    throw new AnnexError('invalid_input', '契約期間の末日が初日より前です', [{ path: 'contract.end', message: '初日より前です' }]);
  }
  if (input.facts.contractType === 'terms') {
    throw new AnnexError('terms_service', '約款型の外部サービスには契約がないため、特記事項は作成できません');
  }
}
