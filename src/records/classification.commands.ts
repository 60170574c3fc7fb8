import type { WriteContext } from '../audit/actor.js';
import { appendAudit } from '../audit/log.js';
import type { ClassificationScheme } from '../risk/inherent-tier.js';
import { getSettings } from '../settings/index.js';
import { DEFAULT_SETTINGS, SETTINGS_ID, settingsStore } from '../settings/settings.model.js';
import { isLevelOf, mapLevel, type Level3Mapping } from './classification.js';
import { storeOf, updateLatest } from './save.js';
import type { SubjectRecord } from './subject.js';
import type { SubjectKind } from './subject.types.js';

const CLASSIFIED_KINDS: SubjectKind[] = ['engagement', 'cloudService'];

export interface MigrationReport {
  from: ClassificationScheme;
  to: ClassificationScheme;
  /** Records whose levels were (or, in a dry run, would be) rewritten. */
  changed: { kind: SubjectKind; id: string; levels: string[] }[];
  examined: number;
  dryRun: boolean;
}

function mapped(r: SubjectRecord, to: ClassificationScheme, level3: Level3Mapping) {
  if (r.kind === 'snsAccount') return null;
  const assets = r.informationAssets.map((a) => ({ ...a, confidentiality: mapLevel(a.confidentiality.level, to, a.personalData, level3) }));
  const levels = r.informationAssets.flatMap((a, i) => {
    const next = assets[i]!.confidentiality.level;
    return a.confidentiality.level === next ? [] : [`${a.name}: ${a.confidentiality.level}→${next}`];
  });
  return { assets, levels };
}

async function everyRecord(kind: SubjectKind): Promise<SubjectRecord[]> {
  const store = storeOf(kind);
  return store.rollForward((await store.model.find().lean()) as SubjectRecord[]);
}

async function migrateRecords(ctx: WriteContext, to: ClassificationScheme, level3: Level3Mapping, dryRun: boolean, report: MigrationReport): Promise<void> {
  for (const kind of CLASSIFIED_KINDS) {
    for (const record of await everyRecord(kind)) {
      report.examined++;
      const plan = mapped(record, to, level3);
      if (!plan || plan.levels.length === 0) continue;
      report.changed.push({ kind, id: record._id, levels: plan.levels });
      if (dryRun) continue;
      await updateLatest<SubjectRecord>(
        ctx,
        kind,
        record._id,
        `${kind}.classification.migrate`,
        (c) => (c.kind === 'snsAccount' ? null : { ...c, informationAssets: mapped(c, to, level3)!.assets }),
        { scheme: to },
      );
    }
  }
}

/**
 * Moves the installation to another classification scheme: every engagement and cloud service (archived ones too)
 * gets its levels mapped (3 → 3A/3B/3C by `level3`, 'auto' = 3B with personal data else 3C; 3A/3B/3C → 3), its tier
 * recomputed and the change audited; then the setting changes, and records saved meanwhile under the old scheme are
 * swept once more. Running it again changes nothing.
 */
export async function migrateClassification(ctx: WriteContext, to: ClassificationScheme, level3: Level3Mapping = 'auto', dryRun = false): Promise<MigrationReport> {
  const settings = await getSettings();
  const report: MigrationReport = { from: settings.classificationScheme, to, changed: [], examined: 0, dryRun };
  await migrateRecords(ctx, to, level3, dryRun, report);
  if (dryRun) return report;
  if (settings.classificationScheme !== to) {
    if (settings.version === 0) await settingsStore.create(ctx, 'settings.classification.migrate', { _id: SETTINGS_ID, ...DEFAULT_SETTINGS, classificationScheme: to } as never);
    else await settingsStore.update(ctx, 'settings.classification.migrate', SETTINGS_ID, settings.version, (c) => ({ ...c, classificationScheme: to }));
  }
  const sweep: MigrationReport = { ...report, changed: [], examined: 0 };
  await migrateRecords(ctx, to, level3, false, sweep);
  report.changed.push(...sweep.changed);
  await appendAudit(ctx, { action: 'classification.migrate', entity: 'settings', entityId: SETTINGS_ID, detail: { from: report.from, to, level3, records: report.changed.length } });
  return report;
}

/** Levels stored on records that the scheme does not know (should be none after a migration). */
export async function levelsOutsideScheme(scheme: ClassificationScheme): Promise<number> {
  let n = 0;
  for (const kind of CLASSIFIED_KINDS) {
    for (const r of await everyRecord(kind)) if (r.kind !== 'snsAccount' && r.informationAssets.some((a) => !isLevelOf(scheme, a.confidentiality.level))) n++;
  }
  return n;
}
