import type { CompareOp, Expr, FieldRef, Literal, Operand } from './ast.js';
import { ConditionError, type ConditionOrigin, placeOf } from './errors.js';
import { LexError, LIMITS, type Token, tokenize } from './lexer.js';
import { checkAnswered, checkCompare, checkContains, checkIn, checkTruthy, resolveField, TypeError_ } from './typecheck.js';
import type { Scope } from './scope.js';
import { subjectScope } from './subject-fields.js';

export interface ParseOptions extends ConditionOrigin {
  /** Names the condition may use; defaults to the subject's facts without answers. */
  scope?: Scope;
}

/**
 * Parses a condition into its syntax tree and checks every name and literal against the scope. Throws a
 * ConditionError naming file, line and reason; never evaluates anything.
 */
export function parseCondition(text: string, options: ParseOptions): Expr {
  const scope = options.scope ?? subjectScope();
  const fail = (reason: string, at: number): never => {
    const place = placeOf(text, at, options);
    throw new ConditionError(reason, options.file, place.line, place.column, at);
  };
  if (typeof text !== 'string' || text.trim() === '') return fail('条件が空です', 0);
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (err) {
    if (err instanceof LexError) return fail(err.reason, err.at);
    throw err;
  }
  try {
    const parser = new Parser(tokens, scope);
    const expr = parser.orExpr(0);
    const rest = parser.peek();
    if (rest.kind !== 'eof') {
      const hint = rest.kind === 'punct' && rest.text === ')' ? '（閉じ括弧が多すぎます）' : '';
      parser.fail(`「${describeToken(rest)}」は予期しない位置にあります${hint}。and / or でつないでください`, rest);
    }
    return expr;
  } catch (err) {
    if (err instanceof ParseFailure) return fail(err.message, err.at);
    if (err instanceof TypeError_) return fail(err.message, err.at);
    throw err;
  }
}

class ParseFailure extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

function describeToken(token: Token): string {
  if (token.kind === 'eof') return '条件の終わり';
  if (token.kind === 'string') return JSON.stringify(token.text);
  return token.text;
}

const COMPARE_OPS = new Set<string>(['==', '!=', '<', '<=', '>', '>=']);

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly scope: Scope,
  ) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'keyword' && token.text === word;
  }

  private isPunct(char: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === char;
  }

  fail(message: string, token: Token): never {
    throw new ParseFailure(message, token.at);
  }

  private expectPunct(char: string, what: string): Token {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== char) this.fail(`${what}がありません（「${describeToken(token)}」の前）`, token);
    return this.next();
  }

  private guardDepth(depth: number, token: Token): void {
    if (depth > LIMITS.maxDepth) this.fail(`括弧や not の入れ子が深すぎます（上限${LIMITS.maxDepth}）`, token);
  }

  orExpr(depth: number): Expr {
    const first = this.andExpr(depth);
    if (!this.isKeyword('or')) return first;
    const items = [first];
    while (this.isKeyword('or')) {
      this.next();
      items.push(this.andExpr(depth));
    }
    return { type: 'or', items, at: first.at };
  }

  private andExpr(depth: number): Expr {
    const first = this.unary(depth);
    if (!this.isKeyword('and')) return first;
    const items = [first];
    while (this.isKeyword('and')) {
      this.next();
      items.push(this.unary(depth));
    }
    return { type: 'and', items, at: first.at };
  }

  private unary(depth: number): Expr {
    const token = this.peek();
    if (this.isKeyword('not')) {
      this.guardDepth(depth + 1, token);
      this.next();
      return { type: 'not', item: this.unary(depth + 1), at: token.at };
    }
    if (this.isPunct('(')) {
      this.guardDepth(depth + 1, token);
      this.next();
      if (this.isPunct(')')) this.fail('括弧の中が空です', this.peek());
      const inner = this.orExpr(depth + 1);
      this.expectPunct(')', '閉じ括弧「)」');
      return inner;
    }
    return this.predicate();
  }

  private operand(): Operand {
    const token = this.peek();
    switch (token.kind) {
      case 'name':
        this.next();
        return { type: 'field', name: token.text, at: token.at };
      case 'string':
      case 'number':
        this.next();
        return { type: 'literal', value: token.value as string | number, at: token.at };
      case 'keyword':
        if (token.text === 'true' || token.text === 'false' || token.text === 'null') {
          this.next();
          return { type: 'literal', value: token.text === 'null' ? null : token.text === 'true', at: token.at };
        }
        return this.fail(`「${token.text}」の前に項目名か値が必要です`, token);
      case 'eof':
        return this.fail('条件が途中で終わっています', token);
      default:
        return this.fail(`「${describeToken(token)}」の位置には項目名か値が必要です`, token);
    }
  }

  private literal(what: string): Literal {
    const token = this.peek();
    const operand = this.operand();
    if (operand.type !== 'literal') this.fail(`${what}には値（"文字列"・数値・true/false）を書いてください`, token);
    return operand;
  }

  private predicate(): Expr {
    const left = this.operand();
    const token = this.peek();
    if (token.kind === 'op' && COMPARE_OPS.has(token.text)) {
      this.next();
      const right = this.operand();
      checkCompare(this.scope, token.text as CompareOp, left, right, token.at);
      return { type: 'compare', op: token.text as CompareOp, left, right, at: left.at };
    }
    const negated = this.isKeyword('not') && (this.isKeyword('in', 1) || this.isKeyword('contains', 1));
    if (negated) this.next();
    if (this.isKeyword('in')) {
      const field = this.requireField(left, 'in');
      this.next();
      const list = this.list();
      checkIn(this.scope, field, list);
      return { type: 'in', negated, field, list, at: left.at };
    }
    if (this.isKeyword('contains')) {
      const field = this.requireField(left, 'contains');
      this.next();
      const value = this.literal('contains の後');
      checkContains(this.scope, field, value);
      return { type: 'contains', negated, field, value, at: left.at };
    }
    if (this.isKeyword('is')) {
      const field = this.requireField(left, 'is');
      this.next();
      const not = this.isKeyword('not');
      if (not) this.next();
      if (!this.isKeyword('answered')) this.fail('「is」の後は answered か not answered です', this.peek());
      this.next();
      checkAnswered(this.scope, field);
      return { type: 'answered', negated: not, field, at: left.at };
    }
    if (left.type === 'literal') {
      if (typeof left.value === 'boolean') return { type: 'const', value: left.value, at: left.at };
      return this.fail('値だけでは条件になりません。比較してください（例: availability == 2）', { ...token, at: left.at });
    }
    checkTruthy(this.scope, left);
    return { type: 'truthy', field: left, at: left.at };
  }

  private requireField(operand: Operand, keyword: string): FieldRef {
    if (operand.type !== 'field') {
      throw new ParseFailure(`「${keyword}」の前には項目名が必要です`, operand.at);
    }
    resolveField(this.scope, operand);
    return operand;
  }

  private list(): Literal[] {
    this.expectPunct('[', '「[」で始まる値の一覧');
    const items: Literal[] = [];
    if (this.isPunct(']')) this.fail('一覧が空です', this.peek());
    for (;;) {
      items.push(this.literal('一覧'));
      if (items.length > LIMITS.maxListItems) {
        this.fail(`一覧の値が多すぎます（上限${LIMITS.maxListItems}）`, this.peek());
      }
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      this.expectPunct(']', '一覧の閉じ「]」');
      return items;
    }
  }
}
