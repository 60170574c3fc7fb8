import type { Role } from './roles.js';
import { AppError } from '../http/errors.js';

/**
 * The role table of CONTRACT.md, in one place. Each action maps a role to 'all' (every department) or 'department'
 * (only records of the user's own department). Routes name an action; record-level checks ask `scopeFor` again with
 * the record's department. Nothing else in the code decides who may do what.
 */
export type Scope = 'all' | 'department';
type Grants = Partial<Record<Role, Scope>>;

const EVERYONE: Grants = { admin: 'all', ciso: 'all', security_officer: 'all', procurement: 'all', auditor: 'all' };
const READERS_OWN_DEPT: Grants = { admin: 'all', ciso: 'all', security_officer: 'all', procurement: 'department', auditor: 'all' };
const OFFICERS: Grants = { ciso: 'all', security_officer: 'all' };
const WRITERS_OWN_DEPT: Grants = { ciso: 'all', security_officer: 'all', procurement: 'department' };

export const POLICY = {
  'vendors.read': EVERYONE,
  'vendors.write': { ciso: 'all', security_officer: 'all', procurement: 'all' },
  /** Engagements, cloud services, SNS accounts, assessments. */
  'records.read': READERS_OWN_DEPT,
  /** Create / edit / archive them, issue assessments and links, answer staff questionnaires. */
  'records.write': WRITERS_OWN_DEPT,
  'assessments.review': OFFICERS,
  /** Decide (not on an assessment one prepared — checked on the record); override a tier. */
  'assessments.decide': OFFICERS,
  'assessments.decideEscalated': { ciso: 'all' },
  'conditions.complete': WRITERS_OWN_DEPT,
  'conditions.accept': OFFICERS,
  'downloads': READERS_OWN_DEPT,
  'audit.read': { admin: 'all', ciso: 'all', security_officer: 'all', auditor: 'all' },
  /** Departments, people, templates, settings, dashboard (procurement sees its own department's figures). */
  'reference.read': EVERYONE,
  'assessments.cancel': WRITERS_OWN_DEPT,
  'incidents.write': WRITERS_OWN_DEPT,
  'handover': WRITERS_OWN_DEPT,
  /** Own access tokens, password, second factor. */
  'self': EVERYONE,
  'users.manage': { admin: 'all' },
  'departments.manage': { admin: 'all' },
  'people.manage': { admin: 'all' },
  'settings.read': EVERYONE,
  'settings.update': { admin: 'all' },
} as const satisfies Record<string, Grants>;

export type Action = keyof typeof POLICY;

export function isAction(name: string): name is Action {
  return Object.hasOwn(POLICY, name);
}

export interface Principal {
  id: string;
  roles: readonly Role[];
  departmentId: string | null;
}

/** The widest scope any of the user's roles gives for the action, or null when none allows it. */
export function scopeFor(user: Principal, action: Action): Scope | null {
  const grants: Grants = POLICY[action];
  let best: Scope | null = null;
  for (const role of user.roles) {
    const scope = grants[role];
    if (scope === 'all') return 'all';
    if (scope === 'department') best = 'department';
  }
  return best;
}

/** Route-level check: 403 when no role of the user allows the action at all. */
export function authorize(user: Principal, action: Action): Scope {
  const scope = scopeFor(user, action);
  if (!scope) throw new AppError('forbidden', 'この操作を行う権限がありません', 403);
  return scope;
}

/**
 * Record-level check for department-scoped records: a user limited to their department gets 404 for another
 * department's record (it is not visible to them), and 403 when they can see it but not do this to it.
 */
export function authorizeRecord(user: Principal, action: Action, recordDepartmentId: string | null, readAction: Action = 'records.read'): void {
  const visible = scopeFor(user, readAction);
  if (!visible || (visible === 'department' && recordDepartmentId !== user.departmentId)) {
    throw new AppError('not_found', '指定された記録は見つかりません', 404);
  }
  const scope = authorize(user, action);
  if (scope === 'department' && recordDepartmentId !== user.departmentId) {
    throw new AppError('not_found', '指定された記録は見つかりません', 404);
  }
}

/** A filter for lists: null means every department; otherwise only this one. */
export function departmentFilter(user: Principal, action: Action = 'records.read'): string | null {
  const scope = authorize(user, action);
  return scope === 'all' ? null : (user.departmentId ?? '__none__');
}
