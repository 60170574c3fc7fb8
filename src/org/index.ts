export { registerOrgRoutes, assertDepartment, assertPerson, presentPerson, presentDepartment, stripUndefined } from './org.routes.js';
export { departmentStore, personStore, DepartmentModel, PersonModel, type Department, type Person } from './org.model.js';
