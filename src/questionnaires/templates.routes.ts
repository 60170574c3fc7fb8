import { z } from 'zod';
import type { AppContent } from '../content.js';
import { AppError } from '../http/errors.js';
import { can, type ApiRegistry } from '../http/route.js';
import { presentTemplate, presentTemplateSummary, templatesInUse, findTemplate } from './index.js';

export function registerTemplateRoutes(api: ApiRegistry, content: AppContent): void {
  api.add({
    method: 'get',
    path: '/api/v1/questionnaire-templates',
    summary: '使用中の質問票テンプレート / Questionnaire templates in use',
    description: 'The highest published version of each template; `?all=true` lists every loaded version (drafts included).',
    tags: ['templates'],
    access: can('reference.read'),
    query: z.object({ all: z.enum(['true', 'false']).default('false') }),
    responses: { 200: { description: 'Templates', schema: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) } },
    handler: ({ query }) => ({
      items: (query.all === 'true' ? content.templates : templatesInUse(content.templates)).map(presentTemplateSummary),
    }),
  });

  api.add({
    method: 'get',
    path: '/api/v1/questionnaire-templates/:templateId',
    summary: '質問票テンプレート（節・設問） / One template with its sections and questions',
    tags: ['templates'],
    access: can('reference.read'),
    params: z.object({ templateId: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/) }),
    query: z.object({ version: z.coerce.number().int().min(1).optional() }),
    responses: { 200: { description: 'The template', schema: z.record(z.string(), z.unknown()) } },
    handler: ({ params, query }) => {
      const template = findTemplate(content.templates, params.templateId, query.version);
      if (!template) throw new AppError('not_found', '指定された質問票テンプレートはありません', 404);
      return presentTemplate(template);
    },
  });
}
