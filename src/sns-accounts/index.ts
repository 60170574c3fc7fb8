export { registerSnsAccountRoutes } from './sns-accounts.routes.js';
export { snsAccountStore, SnsAccountModel, snsKey } from './sns-account.model.js';
export { buildSnsAccount, snsAccountCommands, createSnsAccount, updateSnsAccount, archiveSnsAccount, type SnsAccountInput } from './sns-accounts.commands.js';
export { presentSnsAccount } from './sns-account.presenter.js';
export { PLATFORMS, PLATFORM_LABELS, type SnsAccount, type Platform } from './sns-account.types.js';
