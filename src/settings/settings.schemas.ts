import { z } from 'zod';
import { singleLine } from '../http/schemas.js';

export const SettingsView = z.object({
  id: z.string(),
  version: z.number().int().describe('0 until the settings are first saved'),
  name: z.string().describe('団体名（例: 〇〇市）'),
  mayorTitle: z.string().describe('長の職名（例: 市長、町長、村長）'),
  address: z.string(),
  classificationScheme: z.enum(['r6', 'legacy']).describe("'r6': 自治体機密性3A/3B/3C/2/1（令和6年10月以降）; 'legacy': 3/2/1"),
  totpRequired: z.boolean().describe('admin・ciso・security_officer に二要素認証を必須とする'),
  dormancyDays: z.number().int(),
  updatedAt: z.string().nullable(),
});

export const UpdateSettings = z
  .object({
    version: z.number().int().min(0),
    name: singleLine(200).optional(),
    mayorTitle: singleLine(50).optional(),
    address: singleLine(300).optional(),
    classificationScheme: z.enum(['r6', 'legacy']).optional(),
    totpRequired: z.boolean().optional(),
    dormancyDays: z.number().int().min(7).max(3650).optional(),
  })
  .strip();
