import type { Request } from 'express';
import { authorizeRecord, type Action } from '../auth/policy.js';
import { principalOf } from '../auth/principal.js';
import { AppError } from '../http/errors.js';
import { storeOf } from './save.js';
import { KIND_LABELS, type SubjectRecord } from './subject.js';
import type { SubjectKind } from './subject.types.js';

/**
 * A subject record for a sub-resource route: 404 when it does not exist or the caller may not see its department, 403
 * when they may see it but not do `action`.
 */
export async function loadSubject(req: Request, kind: SubjectKind, id: string, action: Action): Promise<SubjectRecord> {
  const record = await storeOf(kind).get(id);
  if (!record) throw new AppError('not_found', `指定された${KIND_LABELS[kind]}は見つかりません`, 404);
  authorizeRecord(principalOf(req), action, record.departmentId, 'records.read');
  return record;
}

export function assertLive(record: SubjectRecord): void {
  if (record.archivedAt) throw new AppError('illegal_state', `アーカイブ済みの${KIND_LABELS[record.kind]}は変更できません`, 409);
}
