/**
 * Questionnaire templates: loading and validating questionnaires/*.yaml (and a CONTENT_DIR override), the lock of
 * published versions, must levels and the applicability preview. The format is documented in questionnaires/README.md.
 */
export type { SubjectFacts, SubjectKind, Segment, Placement, ContractType, WorkLocation, ServiceModel } from './facts.js';
export type {
  AnswerSpec,
  AnswerType,
  CompiledCondition,
  EvidenceSpec,
  LocalText,
  MustLevel,
  MustRuleSpec,
  MustSpec,
  OptionSpec,
  Question,
  Section,
  Sources,
  Template,
  ThresholdSpec,
} from './template.js';
export { answerField, templateScope } from './template.js';
export {
  checkContent,
  ContentError,
  defaultContentRoots,
  formatProblems,
  loadContent,
  loadContentOrThrow,
  loadTemplateFile,
  type LoadedContent,
  QUESTIONNAIRES_DIR,
  shippedContentRoot,
} from './load.js';
export { checkLock, contentHash, LOCK_FILE, type Lock, lockPublished, type LockSubject, readLock } from './lock.js';
export { describeRule, type MustDecision, mustLevelOn } from './must.js';
export {
  applicableQuestions,
  findTemplate,
  type Preview,
  type QuestionDecision,
  templateMatches,
  templatesFor,
  templatesInUse,
} from './preview.js';
export { presentTemplate, presentTemplateSummary, type TemplateView } from './present.js';
export { answerPoints } from './points.js';
export { publishTemplates } from './publish.js';
// The YAML + line helpers and Japanese zod messages, for the exports/ clause loader and other content folders.
export {
  conditionAt,
  type ContentProblem,
  type DataPath,
  describePath,
  MAX_CONTENT_FILE_BYTES,
  nodeAt,
  originOf,
  parseYamlSource,
  positionOf,
  problem,
  problemAt,
  readYamlFile,
  type YamlSource,
  zodProblems,
} from './yaml-source.js';
export { jaErrorMap, zodIssueMessage } from './zod-messages.js';
