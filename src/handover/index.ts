export { registerHandoverRoutes } from './handover.routes.js';
export { applyHandover, completePendingHandovers, handoverCandidates, replacePerson } from './handover.commands.js';
export { HandoverBatchModel, type HandoverBatch } from './handover.model.js';
