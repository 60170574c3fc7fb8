import mongoose, { Schema } from 'mongoose';
import { VersionedStore, type Versioned } from '../db/versioned.js';

export type ClassificationScheme = 'r6' | 'legacy';

/** The municipality's settings: one record, `_id` 'municipality'. */
export interface Settings extends Versioned {
  name: string;
  mayorTitle: string;
  address: string;
  /** 'r6': 令和6年10月以降の 3A/3B/3C/2/1; 'legacy': 従来の 3/2/1. */
  classificationScheme: ClassificationScheme;
  totpRequired: boolean;
  /** An SNS account without activity for longer than this is dormant (warning). */
  dormancyDays: number;
}

export const SETTINGS_ID = 'municipality';

export const DEFAULT_SETTINGS: Omit<Settings, keyof Versioned> = {
  name: '',
  mayorTitle: '市長',
  address: '',
  classificationScheme: 'r6',
  totpRequired: false,
  dormancyDays: 90,
};

const SettingsSchema = new Schema<Settings>(
  {
    _id: String,
    version: Number,
    createdAt: Date,
    updatedAt: Date,
    archivedAt: Date,
    name: String,
    mayorTitle: String,
    address: String,
    classificationScheme: String,
    totpRequired: Boolean,
    dormancyDays: Number,
  },
  { collection: 'settings', versionKey: false },
);

export const SettingsModel = mongoose.model<Settings>('Settings', SettingsSchema);
export const settingsStore = new VersionedStore<Settings>('settings', SettingsModel);
