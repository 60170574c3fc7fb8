/**
 * `GET /api/v1/registers/{vendors,engagements,cloud-services,sns-accounts}.xlsx`: the 台帳, streamed. The list filters
 * of each kind apply; a department-scoped reader (procurement) gets their own department's rows only.
 */
import { contextOf } from '../audit/actor.js';
import { departmentFilter } from '../auth/policy.js';
import { principalOf } from '../auth/principal.js';
import type { AppContent } from '../content.js';
import { can, type ApiRegistry } from '../http/route.js';
import { setDownloadHeaders, XLSX_TYPE } from './download.js';
import { REGISTER_IDS } from './index.js';
import { prepareRegisterExport } from './register-export.js';
import { REGISTER_QUERIES, type RegisterQuery } from './register-query.js';

const DESCRIPTIONS: Record<(typeof REGISTER_IDS)[number], string> = {
  vendors: '事業者台帳: name, 法人番号, contacts, certifications with the earliest expiry, how many engagements and services use the vendor, the latest result and next review among them. A department-scoped reader gets the vendors their department’s records use, counted over those records.',
  engagements: '委託先台帳 (requirements §9): contract, vendor, period, department and responsible person, classification, segment, subcontractors, tier, latest result and decision date, open conditions and the next condition due, next review, end-of-contract confirmation.',
  'cloud-services': '外部サービス利用台帳 (requirements §9): service, provider, model, contract type, ISMAP and its expiry, data location, governing law and court, department, 外部サービス管理者, approval date, classification, latest result, next review.',
  'sns-accounts': 'ソーシャルメディア責任者台帳 (requirements §9): platform, account, URL, department, responsible person, operators, 2FA, credential holders, procedure, official-site listing, last activity, next review.',
};

/** The four register downloads. */
export function registerRegisterRoutes(api: ApiRegistry, content: AppContent): void {
  for (const id of REGISTER_IDS) {
    api.add({
      method: 'get',
      path: `/api/v1/registers/${id}.xlsx`,
      summary: `${content.exports.layouts.get(id)?.title ?? id}（Excel） / Register`,
      description: `${DESCRIPTIONS[id]} Columns follow exports/registers/${id}.yaml; the title row names the municipality and the filters, the second row the issue date in 和暦. The filters of the list of the same kind apply (\`?q=\`, \`?archived=\`, \`?sort=\`, …), without paging. Streamed; audited (\`register.export\`, with the filters).`,
      tags: ['documents'],
      access: can('downloads'),
      query: REGISTER_QUERIES[id],
      responses: { 200: { description: 'The register (.xlsx)', contentType: XLSX_TYPE } },
      handler: async ({ req, res, query }) => {
        const layout = content.exports.layouts.get(id)!;
        const department = departmentFilter(principalOf(req), 'downloads');
        const exported = await prepareRegisterExport(contextOf(req), layout, query as RegisterQuery, department);
        setDownloadHeaders(res, XLSX_TYPE, exported.fileName);
        res.status(200);
        try {
          await exported.write(res);
        } catch (err) {
          // Part of the file may be out: end the response abruptly so the client never takes it for a whole file.
          req.log?.error({ err }, 'register export failed while streaming');
          res.destroy();
        }
      },
    });
  }
}
