import type { Settings } from './settings.model.js';
import type { z } from 'zod';
import type { SettingsView } from './settings.schemas.js';

export function presentSettings(s: Settings): z.infer<typeof SettingsView> {
  return {
    id: s._id,
    version: s.version,
    name: s.name,
    mayorTitle: s.mayorTitle,
    address: s.address,
    classificationScheme: s.classificationScheme,
    totpRequired: s.totpRequired,
    dormancyDays: s.dormancyDays,
    updatedAt: s.version > 0 ? new Date(s.updatedAt).toISOString() : null,
  };
}
