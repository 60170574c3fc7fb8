/**
 * Japanese messages for schema problems in content files, written for the legal and security staff who edit them.
 * Passed per parse (never set globally with z.config, which would change other modules' messages).
 */
import { z } from 'zod';

const TYPE_NAMES: Record<string, string> = {
  string: '文字列',
  number: '数値',
  int: '整数',
  boolean: 'true か false',
  object: '項目の集まり（キー: 値）',
  array: '一覧（- で始まる行）',
  null: '空',
  undefined: '値',
};

function typeOf(input: unknown): string {
  if (input === null) return '空';
  if (Array.isArray(input)) return '一覧';
  if (typeof input === 'object') return '項目の集まり';
  if (typeof input === 'number') return Number.isInteger(input) ? '整数' : '数値';
  return TYPE_NAMES[typeof input] ?? typeof input;
}

const localeFallback = z.locales.ja().localeError;

export const jaErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return `${expected}を書いてください（書かれているのは${typeOf(issue.input)}）`;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'array') return `${min}件以上必要です`;
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? '空にできません' : `${min}文字以上必要です`;
      return `${min}${issue.inclusive === false ? 'より大きい' : '以上の'}値にしてください`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'array') return `${max}件までです`;
      if (issue.origin === 'string') return `${max}文字までです`;
      return `${max}${issue.inclusive === false ? '未満の' : '以下の'}値にしてください`;
    }
    case 'invalid_value':
      return `使える値: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? '書式が正しくありません' : `書式が正しくありません（${issue.format}）`;
    case 'invalid_union':
      if ('discriminator' in issue && typeof issue.discriminator === 'string') {
        const options = (issue as { options?: unknown[] }).options ?? [];
        return `${issue.discriminator} に使える値: ${options.map((v) => JSON.stringify(v)).join(', ')}`;
      }
      return localeFallback(issue);
    default:
      return localeFallback(issue);
  }
};

/** The message of an issue produced with jaErrorMap (or a schema's own message), falling back to zod's Japanese. */
export function zodIssueMessage(issue: z.core.$ZodIssue): string {
  return issue.message || String(localeFallback(issue as unknown as z.core.$ZodRawIssue) ?? '値が正しくありません');
}
