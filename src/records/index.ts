/** What other domains use of the records: loading, saving through derive, decisions, shapes. */
export { setLastDecision } from './decision.commands.js';
export { storeOf, updateLatest, prepare } from './save.js';
export { subjectName, contractEndOf, peopleOf, KIND_LABELS, KIND_PATHS, type SubjectRecord, type SubjectDraft } from './subject.js';
export type { SubjectKind, LastDecision, InformationAsset, Incident, DerivedFields } from './subject.types.js';
export { LEVELS, classify, mapLevel, type Classification } from './classification.js';
export { statusOf, type SubjectStatus } from './status.js';
export { newLookup, lookupFor, type Lookup } from './lookup.js';
export { warningsFor } from './present.js';
