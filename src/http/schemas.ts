import { z } from 'zod';
import { hasControlChars, hasSingleLineControlChars } from '../shared/text.js';

/** A trimmed single-line string of at most `max` characters. */
export const singleLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `${max}文字以内で入力してください`)
    .refine((s) => !hasSingleLineControlChars(s), '制御文字や書字方向の制御文字は使えません');

/** Multi-line text (tabs and line breaks allowed). */
export const multiLine = (max: number) =>
  z
    .string()
    .max(max, `${max}文字以内で入力してください`)
    .refine((s) => !hasControlChars(s), '制御文字は使えません');

export const requiredLine = (max: number) => singleLine(max).pipe(z.string().min(1, '入力してください'));

export const IdParam = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, '識別子の形式が正しくありません') });

export const PlainDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD 形式で入力してください');

/** `?page=&limit=` as CONTRACT.md defines them. */
export const Paging = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), limit: z.number().int() });
