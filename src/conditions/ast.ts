/**
 * The syntax tree of a condition. Plain JSON data (no classes, no functions), so a template snapshot stored with an
 * assessment keeps its conditions exactly. `at` is the character offset in the condition text, for error messages.
 */

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type LiteralValue = string | number | boolean | null;

export interface FieldRef {
  type: 'field';
  /** As written: a SubjectFacts path (`confidentiality.rank`) or `answer.<questionId>`. */
  name: string;
  at: number;
}

export interface Literal {
  type: 'literal';
  value: LiteralValue;
  at: number;
}

export type Operand = FieldRef | Literal;

export type Expr =
  | { type: 'and'; items: Expr[]; at: number }
  | { type: 'or'; items: Expr[]; at: number }
  | { type: 'not'; item: Expr; at: number }
  /** A bare boolean field: `myNumber`. */
  | { type: 'truthy'; field: FieldRef; at: number }
  /** `true` or `false` on its own. */
  | { type: 'const'; value: boolean; at: number }
  | { type: 'compare'; op: CompareOp; left: Operand; right: Operand; at: number }
  | { type: 'in'; negated: boolean; field: FieldRef; list: Literal[]; at: number }
  /** `answer.X contains "opt"` for multiple-choice answers. */
  | { type: 'contains'; negated: boolean; field: FieldRef; value: Literal; at: number }
  | { type: 'answered'; negated: boolean; field: FieldRef; at: number };

/** The comparisons and predicates: the nodes whose truth is read from data rather than from other nodes. */
export type Leaf = Extract<Expr, { type: 'truthy' | 'const' | 'compare' | 'in' | 'contains' | 'answered' }>;

/** Every field a condition reads, in order of appearance, without duplicates. */
export function fieldsOf(expr: Expr): string[] {
  const seen = new Set<string>();
  const visit = (e: Expr): void => {
    switch (e.type) {
      case 'and':
      case 'or':
        e.items.forEach(visit);
        return;
      case 'not':
        visit(e.item);
        return;
      case 'const':
        return;
      case 'compare':
        for (const side of [e.left, e.right]) if (side.type === 'field') seen.add(side.name);
        return;
      default:
        seen.add(e.field.name);
    }
  };
  visit(expr);
  return [...seen];
}
