export { registerOrgRoutes, presentPerson, presentDepartment } from './org.routes.js';
export { departmentCommands, personCommands, assertDepartment, assertPerson, stripUndefined } from './org.commands.js';
export { departmentStore, personStore, DepartmentModel, PersonModel, type Department, type Person } from './org.model.js';
