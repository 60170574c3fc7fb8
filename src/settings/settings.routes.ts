import { contextOf } from '../audit/actor.js';
import type { ApiRegistry } from '../http/route.js';
import { can } from '../http/route.js';
import { getSettings, updateSettings } from './settings.commands.js';
import { presentSettings } from './settings.presenter.js';
import { SettingsView, UpdateSettings } from './settings.schemas.js';

export function registerSettingsRoutes(api: ApiRegistry): void {
  api.add({
    method: 'get',
    path: '/api/v1/settings',
    summary: '団体の設定を取得 / Read the municipality settings',
    tags: ['settings'],
    access: can('settings.read'),
    responses: { 200: { description: 'Settings', schema: SettingsView } },
    handler: async () => presentSettings(await getSettings()),
  });

  api.add({
    method: 'patch',
    path: '/api/v1/settings',
    summary: '団体の設定を変更 / Update the municipality settings',
    description: '`version` must be the version last read; a stale one answers 409 and changes nothing.',
    tags: ['settings'],
    access: can('settings.update'),
    body: UpdateSettings,
    responses: { 200: { description: 'Updated settings', schema: SettingsView } },
    handler: async ({ req, body }) => {
      const { version, ...changes } = body;
      return presentSettings(await updateSettings(contextOf(req), version, changes));
    },
  });
}
