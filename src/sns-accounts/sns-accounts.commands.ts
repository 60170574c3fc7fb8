import type { z } from 'zod';
import { scopeFor, type Principal } from '../auth/policy.js';
import type { NewRecord } from '../db/versioned.js';
import { engagementStore } from '../engagements/engagement.model.js';
import { AppError, type FieldError } from '../http/errors.js';
import { newSubjectBase } from '../records/base.js';
import { assertAssignable, assertDepartment } from '../records/references.js';
import { prepare } from '../records/save.js';
import { subjectCommands } from '../records/subject.commands.js';
import { compareDates, todayInTokyo } from '../shared/dates.js';
import { snsKey, SnsAccountModel, snsAccountStore } from './sns-account.model.js';
import type { CreateSnsAccount, UpdateSnsAccount } from './sns-accounts.schemas.js';
import type { SnsAccount } from './sns-account.types.js';

export type SnsAccountInput = z.output<typeof CreateSnsAccount>;
type SnsAccountChanges = Omit<z.output<typeof UpdateSnsAccount>, 'version'>;

/** Which departments' engagements the caller may link to (null: any). */
export type VisibleDepartment = ((departmentId: string) => boolean) | null;

/**
 * An SNS account as stored, from complete input; see buildEngagement. A live account with the same platform and
 * account name answers 409 here with a precise message (the key claim in the store still guards against a race).
 */
export async function buildSnsAccount(input: SnsAccountInput, current: SnsAccount | null, visible: VisibleDepartment = null): Promise<NewRecord<SnsAccount>> {
  await assertDepartment(input.departmentId);
  const errors: FieldError[] = [];
  if (input.platform === 'other' && !input.platformName) errors.push({ path: 'platformName', message: 'サービス名を入力してください' });
  if (input.platform !== 'other' && input.platformName) errors.push({ path: 'platformName', message: "platform が 'other' のときだけ指定します" });
  if (input.lastActivityOn && compareDates(input.lastActivityOn, todayInTokyo()) > 0) errors.push({ path: 'lastActivityOn', message: '未来の日付は指定できません' });
  if (new Set(input.operatorIds).size !== input.operatorIds.length) errors.push({ path: 'operatorIds', message: '同じ人物が重複しています' });
  if (input.operatedByEngagementId) {
    const engagement = await engagementStore.get(input.operatedByEngagementId);
    if (!engagement || engagement.archivedAt || (visible && !visible(engagement.departmentId))) {
      errors.push({ path: 'operatedByEngagementId', message: '存在しない業務委託です' });
    }
  }
  if (errors.length) throw new AppError('validation_failed', '入力内容に誤りがあります', 400, errors);
  const key = snsKey(input);
  const live = await SnsAccountModel.find({ platform: input.platform, archivedAt: null }, { _id: 1, platform: 1, platformName: 1, accountName: 1 }).lean();
  const twin = live.find((a) => a._id !== current?._id && snsKey(a) === key);
  if (twin) {
    throw new AppError('duplicate', `このサービスの同じアカウント名（${twin.accountName}）は既に登録されています`, 409, [{ path: 'accountName', message: '既に登録されています' }], { existingId: twin._id });
  }

  await assertAssignable([input.responsiblePersonId], current ? [current.responsiblePersonId] : [], 'responsiblePersonId');
  await assertAssignable(input.operatorIds, current?.operatorIds ?? [], 'operatorIds');

  const base = current ?? newSubjectBase('snsAccount', input.departmentId);
  const draft: NewRecord<SnsAccount> = {
    ...base,
    kind: 'snsAccount',
    platform: input.platform,
    platformName: input.platformName,
    accountName: input.accountName.normalize('NFKC'),
    url: input.url,
    departmentId: input.departmentId,
    purpose: input.purpose,
    audience: input.audience,
    responsiblePersonId: input.responsiblePersonId,
    operatorIds: input.operatorIds,
    postingPolicy: input.postingPolicy,
    officialSiteUrl: input.officialSiteUrl,
    officialVerification: input.officialVerification,
    twoFactor: input.twoFactor,
    credentialHolders: input.credentialHolders,
    procedure: input.procedure,
    operatedByEngagementId: input.operatedByEngagementId,
    disasterInformation: input.disasterInformation,
    lastActivityOn: input.lastActivityOn,
  };
  return prepare(draft, current, { certificateExpiryDates: [] });
}

export function snsAccountAsInput(a: SnsAccount): SnsAccountInput {
  return { ...a };
}

/** The departments whose engagements this user may see (and so link an account to). */
function visibleTo(user: Principal): VisibleDepartment {
  return scopeFor(user, 'records.read') === 'all' ? null : (dept) => dept === user.departmentId;
}

/**
 * Create, update and archive of SNS accounts, for the API and the console alike (see subjectCommands); the operating
 * engagement must be one the user can see.
 */
export const snsAccountCommands = subjectCommands<SnsAccount, SnsAccountInput, SnsAccountChanges>('snsAccount', {
  store: snsAccountStore,
  build: (input, current, user) => buildSnsAccount(input, current, visibleTo(user)),
  asInput: snsAccountAsInput,
});

export const { create: createSnsAccount, update: updateSnsAccount, archive: archiveSnsAccount } = snsAccountCommands;
