export { registerSettingsRoutes } from './settings.routes.js';
export { getSettings, updateSettings } from './settings.commands.js';
export type { Settings, ClassificationScheme } from './settings.model.js';
