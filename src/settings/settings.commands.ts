import type { WriteContext } from '../audit/actor.js';
import { AppError, conflict } from '../http/errors.js';
import { classificationInUse } from './classification-lock.js';
import { DEFAULT_SETTINGS, SETTINGS_ID, settingsStore, type Settings } from './settings.model.js';

/** The settings, or the defaults at version 0 before anyone saved them. */
export async function getSettings(): Promise<Settings> {
  const stored = await settingsStore.get(SETTINGS_ID);
  if (stored) return stored;
  const epoch = new Date(0);
  return { _id: SETTINGS_ID, version: 0, createdAt: epoch, updatedAt: epoch, archivedAt: null, ...DEFAULT_SETTINGS };
}

type SettingsChanges = Partial<Omit<Settings, '_id' | 'version' | 'createdAt' | 'updatedAt' | 'archivedAt'>>;

/** Saves a change to the settings if `version` is still current (0 creates them); audited. */
export async function updateSettings(ctx: WriteContext, version: number, changes: SettingsChanges): Promise<Settings> {
  if (changes.classificationScheme !== undefined && changes.classificationScheme !== (await getSettings()).classificationScheme && (await classificationInUse())) {
    throw new AppError(
      'classification_scheme_locked',
      '情報資産の分類が既に登録されているため、分類体系はここでは変更できません。すべての記録の区分を読み替えて変更するには、npm run cli -- classification:migrate --to <r6|legacy> を実行してください。',
      409,
      [{ path: 'classificationScheme', message: '分類済みの記録があるため変更できません' }],
    );
  }
  if (version === 0) {
    const existing = await settingsStore.get(SETTINGS_ID);
    if (existing) throw conflict(undefined, { currentVersion: existing.version, yourVersion: 0 });
    return settingsStore.create(ctx, 'settings.update', { _id: SETTINGS_ID, ...DEFAULT_SETTINGS, ...changes } as never);
  }
  const current = await settingsStore.get(SETTINGS_ID);
  if (!current) throw conflict(undefined, { currentVersion: 0, yourVersion: version });
  return settingsStore.update(ctx, 'settings.update', SETTINGS_ID, version, (c) => ({ ...c, ...changes }));
}
