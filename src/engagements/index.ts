export { registerEngagementRoutes } from './engagements.routes.js';
export { engagementStore, EngagementModel } from './engagement.model.js';
export { buildEngagement, engagementCommands, createEngagement, updateEngagement, archiveEngagement, type EngagementInput } from './engagements.commands.js';
export { presentEngagement } from './engagement.presenter.js';
export type { Engagement, Subcontractor, EndOfContract } from './engagement.types.js';
