import mongoose from 'mongoose';
import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { compareDates, todayInTokyo } from '../shared/dates.js';
import { assertLive } from './access.js';
import { updateLatest } from './save.js';
import type { SubjectRecord } from './subject.js';
import type { Incident, IncidentSeverity } from './subject.types.js';
import { syncTierHistory } from './tier-history.js';

const MAX_INCIDENTS = 500;

/**
 * Records an incident on a live subject. The incident is part of the record, so adding it and bringing the next
 * review forward are one versioned write (audited as '<entity>.incident'), applied to the latest version.
 */
export async function recordIncident(
  ctx: WriteContext,
  record: SubjectRecord,
  input: { date: string; severity: IncidentSeverity; summary: string },
): Promise<{ incident: Incident; saved: SubjectRecord }> {
  assertLive(record);
  if (compareDates(input.date, todayInTokyo()) > 0) {
    throw new AppError('validation_failed', '入力内容に誤りがあります', 400, [{ path: 'date', message: '発生日に未来の日付は指定できません' }]);
  }
  if (record.incidents.length >= MAX_INCIDENTS) throw new AppError('illegal_state', `インシデントは1件の記録につき${MAX_INCIDENTS}件までです`, 409);
  const incident: Incident = {
    id: new mongoose.Types.ObjectId().toHexString(),
    date: input.date,
    severity: input.severity,
    summary: input.summary,
    recordedAt: new Date(),
    recordedBy: { kind: ctx.actor.kind, id: ctx.actor.id, name: ctx.actor.name ?? null },
  };
  const saved = await updateLatest<SubjectRecord>(ctx, record.kind, record._id, `${record.kind}.incident`, (c) => ({ ...c, incidents: [...c.incidents, incident] }));
  await syncTierHistory(record.kind, saved._id);
  return { incident, saved };
}
