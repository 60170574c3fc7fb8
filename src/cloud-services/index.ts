export { registerCloudServiceRoutes } from './cloud-services.routes.js';
export { cloudServiceStore, CloudServiceModel } from './cloud-service.model.js';
export { buildCloudService, cloudServiceCommands, createCloudService, updateCloudService, archiveCloudService, type CloudServiceInput } from './cloud-services.commands.js';
export { presentCloudService } from './cloud-service.presenter.js';
export type { CloudService, IsmapRegistration, DataLocations } from './cloud-service.types.js';
