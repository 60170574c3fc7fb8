import mongoose, { Schema } from 'mongoose';
import { daysBetween, toTokyoDate } from '../shared/dates.js';
import { toWareki } from '../shared/wareki.js';
import { AssessmentModel, assessmentStore, type Assessment } from './assessment.model.js';
import { isDuplicateKey } from '../db/errors.js';

/**
 * Reminders go to an outbox collection (recipient, subject, body in Japanese); a mail relay can send them later, and
 * nothing here needs a mail server. Each reminder has a deterministic `_id` (assessment, kind, day), so inserting it
 * twice — two instances, or a rerun — is refused by the database and it is written once.
 */
export interface OutboxMessage {
  _id: string;
  kind: 'due_7' | 'due_1' | 'overdue' | 'clarification_unanswered' | 'link_expiring';
  assessmentId: string;
  recipient: { role: 'vendor' | 'preparer'; name: string; userId?: string };
  subject: string;
  body: string;
  createdAt: Date;
  sentAt: Date | null;
}

export const OutboxModel = mongoose.model<OutboxMessage>(
  'OutboxMessage',
  new Schema<OutboxMessage>(
    { _id: String, kind: String, assessmentId: String, recipient: Schema.Types.Mixed, subject: String, body: String, createdAt: Date, sentAt: Date },
    { collection: 'outbox', versionKey: false },
  ),
);

/** One run per slot across every instance: the slot is claimed by inserting it. */
const LeaseModel = mongoose.model<{ _id: string; at: Date; pid: number }>(
  'SchedulerLease',
  new Schema<{ _id: string; at: Date; pid: number }>({ _id: String, at: Date, pid: Number }, { collection: 'leases', versionKey: false }),
);


export async function claimSlot(name: string, slot: string): Promise<boolean> {
  try {
    await LeaseModel.collection.insertOne({ _id: `${name}:${slot}`, at: new Date(), pid: process.pid } as never);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

const wareki = (d: string) => toWareki(d, { fullWidth: true });

function messagesFor(a: Assessment, today: string): Omit<OutboxMessage, 'createdAt' | 'sentAt'>[] {
  const out: Omit<OutboxMessage, 'createdAt' | 'sentAt'>[] = [];
  const title = `${a.template.title.ja}（${a.subject.name}）`;
  const vendor = { role: 'vendor' as const, name: a.vendorName ?? a.subject.name };
  const preparer = { role: 'preparer' as const, name: a.preparer.name, userId: a.preparer.id };
  const respondent = a.respondent === 'vendor' ? vendor : preparer;
  const daysLeft = daysBetween(today, a.dueDate);
  const open = ['issued', 'in_progress'].includes(a.status);
  if (open && daysLeft === 7) {
    out.push({ _id: `reminder:${a._id}:due_7:${a.dueDate}`, kind: 'due_7', assessmentId: a._id, recipient: respondent, subject: `【回答期限まで7日】${title}`, body: `${title}の回答期限は${wareki(a.dueDate)}です。期限までの回答・提出をお願いします。` });
  }
  if (open && daysLeft === 1) {
    out.push({ _id: `reminder:${a._id}:due_1:${a.dueDate}`, kind: 'due_1', assessmentId: a._id, recipient: respondent, subject: `【回答期限は明日】${title}`, body: `${title}の回答期限は明日（${wareki(a.dueDate)}）です。` });
  }
  if (open && daysLeft < 0) {
    // Once a week while overdue, to the preparer too.
    const week = Math.floor(-daysLeft / 7);
    for (const r of [respondent, preparer]) {
      out.push({ _id: `reminder:${a._id}:overdue:${week}:${r.role}`, kind: 'overdue', assessmentId: a._id, recipient: r, subject: `【回答期限超過】${title}`, body: `${title}は回答期限（${wareki(a.dueDate)}）を${-daysLeft}日過ぎています。` });
    }
  }
  if (a.status === 'clarification_requested' && a.clarification) {
    const waited = daysBetween(toTokyoDate(new Date(a.clarification.requestedAt)), today);
    if (waited >= 7) {
      const week = Math.floor(waited / 7);
      out.push({ _id: `reminder:${a._id}:clarification:${week}`, kind: 'clarification_unanswered', assessmentId: a._id, recipient: respondent, subject: `【確認依頼への回答のお願い】${title}`, body: `${toWareki(toTokyoDate(new Date(a.clarification.requestedAt)), { fullWidth: true })}にお送りした確認依頼への回答がまだありません。内容をご確認のうえ、回答を修正して再提出してください。` });
    }
  }
  if (a.link && !a.link.revokedAt && ['issued', 'in_progress', 'clarification_requested'].includes(a.status)) {
    const expires = toTokyoDate(new Date(a.link.expiresAt));
    const left = daysBetween(today, expires);
    if (left >= 0 && left <= 3) {
      out.push({ _id: `reminder:${a._id}:link:${expires}`, kind: 'link_expiring', assessmentId: a._id, recipient: preparer, subject: `【リンクの有効期限が近づいています】${title}`, body: `事業者向けリンクの有効期限は${wareki(expires)}です。回答が終わっていない場合は、リンクを再発行してください。` });
    }
  }
  return out;
}

/**
 * Writes the reminders due today. Safe to run on every instance and as often as wanted: the slot lease avoids the
 * duplicate work, the deterministic ids avoid duplicate messages. Returns how many new messages were written.
 */
export async function runReminders(now = new Date()): Promise<number> {
  const today = toTokyoDate(now);
  const slot = `${today}T${String(now.getUTCHours()).padStart(2, '0')}`;
  if (!(await claimSlot('reminders', slot))) return 0;
  const docs = (await AssessmentModel.find({ status: mongoose.trusted({ $in: ['issued', 'in_progress', 'clarification_requested'] }), archivedAt: null }).lean()) as Assessment[];
  let written = 0;
  for (const a of await assessmentStore.rollForward(docs)) {
    for (const m of messagesFor(a, today)) {
      try {
        await OutboxModel.collection.insertOne({ ...m, createdAt: now, sentAt: null } as never);
        written++;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
  }
  return written;
}

