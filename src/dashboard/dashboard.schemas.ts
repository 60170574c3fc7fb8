import { z } from 'zod';
import { WARNING_CODES } from '../risk/warnings.js';

const Kind = z.enum(['engagement', 'cloudService', 'snsAccount']);
const SubjectRef = z.object({ kind: Kind, id: z.string(), name: z.string() });
const KindCounts = z.object({
  total: z.number().int().describe('アーカイブされていない記録'),
  byStatus: z.record(z.string(), z.number().int()).describe('upcoming / active / ended（SNSは active / dormant）'),
  byTier: z.object({ '1': z.number().int(), '2': z.number().int(), '3': z.number().int(), '4': z.number().int() }),
  archived: z.number().int(),
});

export const DashboardQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30).describe('この日数以内に期限が来るものを含める') });

export const DashboardView = z.object({
  today: z.string(),
  days: z.number().int(),
  scope: z.object({ departmentId: z.string().nullable().describe('所管課担当は自課の数値のみ') }),
  counts: z.object({
    vendors: z.object({ total: z.number().int().describe('全庁: 登録済みの事業者。所管課担当: 自課の記録で使われている事業者') }),
    engagements: KindCounts,
    cloudServices: KindCounts,
    snsAccounts: KindCounts,
  }),
  due: z.object({
    reviews: z.array(
      z.object({ kind: Kind, id: z.string(), name: z.string(), departmentId: z.string(), tier: z.number().int(), date: z.string(), reason: z.string(), text: z.string(), daysLeft: z.number().int(), overdue: z.boolean() }),
    ),
    certificates: z.array(
      z.object({
        source: z.enum(['vendor', 'ismap']).describe('vendor: 事業者の認証, ismap: 外部サービスのISMAP登録'),
        id: z.string().describe('事業者又は外部サービスの id'),
        name: z.string(),
        certificate: z.string(),
        number: z.string(),
        validUntil: z.string(),
        daysLeft: z.number().int(),
        window: z.enum(['expired', 'within_7_days', 'within_30_days', 'within_60_days']),
      }),
    ),
    contracts: z.array(z.object({ kind: Kind, id: z.string(), name: z.string(), departmentId: z.string(), end: z.string(), daysLeft: z.number().int(), ended: z.boolean() })).describe('契約終了時の確認が記録されていない、終了済み又は days 日以内に終了する契約'),
    assessments: z
      .array(
        z.object({
          id: z.string(),
          subject: SubjectRef,
          departmentId: z.string().nullable(),
          vendorName: z.string().nullable(),
          status: z.string(),
          dueDate: z.string(),
          daysLeft: z.number().int(),
          overdue: z.boolean(),
          reason: z.enum(['overdue', 'due_soon', 'clarification_unanswered']).describe('overdue: 回答期限切れ、due_soon: days 日以内に回答期限、clarification_unanswered: 確認依頼に未回答'),
          clarificationRequestedAt: z.string().nullable(),
        }),
      )
      .describe('回答を待っている評価: 回答期限切れ・days 日以内に期限・確認依頼に未回答'),
    conditions: z
      .array(
        z.object({
          id: z.string(),
          assessmentId: z.string(),
          subject: SubjectRef,
          departmentId: z.string().nullable(),
          number: z.number().int(),
          text: z.string(),
          owner: z.string(),
          dueDate: z.string(),
          daysLeft: z.number().int(),
          overdue: z.boolean(),
        }),
      )
      .describe('条件付き承認の未対応の条件のうち、期限切れ又は days 日以内に期限が来るもの'),
  }),
  gaps: z.object({
    byCode: z.record(z.string(), z.number().int()),
    items: z.array(z.object({ kind: Kind, id: z.string(), name: z.string(), departmentId: z.string(), warnings: z.array(z.object({ code: z.enum(WARNING_CODES), message: z.string() })) })),
  }),
  heatmap: z
    .array(
      z.object({
        tier: z.number().int().describe('固有リスク区分 T（判断時の採点）'),
        likelihood: z.number().int().nullable().describe('発生可能性 L（採点できる設問がなかった場合は null）'),
        residual: z.number().int().nullable().describe('残留リスク R = T × L'),
        count: z.number().int(),
      }),
    )
    .describe('各対象の最新の判断（判断済みの評価）を区分 T × 発生可能性 L で数えた分布。0件のセルは含めない'),
});
export type DashboardView = z.infer<typeof DashboardView>;
