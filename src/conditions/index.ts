/**
 * The condition language shared by questionnaire templates (applicability, must levels, follow-ups) and the annex
 * clause library: `confidentiality.rank >= 2 and (segment == "mynumber" or myNumber)`. Parsed by hand into a plain
 * syntax tree, checked against a scope of known fields, evaluated without eval. Grammar and semantics:
 * questionnaires/README.md.
 */
export type { CompareOp, Expr, FieldRef, Leaf, Literal, LiteralValue, Operand } from './ast.js';
export { fieldsOf } from './ast.js';
export { ConditionError, type ConditionOrigin } from './errors.js';
export { LIMITS } from './lexer.js';
export { parseCondition, type ParseOptions } from './parser.js';
export { type Answers, type EvalContext, evaluate, explain, type Explanation, isAnswered, readField } from './evaluate.js';
export { describe, explainText, type Lang, literalText, toText, valueText } from './describe.js';
export { ANSWER_PREFIX, type FieldInfo, type FieldType, fieldInfo, type Label, type Scope } from './scope.js';
export { type FactPath, subjectFields, subjectScope } from './subject-fields.js';
export { isIsoDate, toWareki } from './dates.js';
