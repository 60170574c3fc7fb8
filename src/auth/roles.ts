export const ROLES = ['admin', 'ciso', 'security_officer', 'procurement', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'システム管理者',
  ciso: '最高情報セキュリティ責任者（CISO）',
  security_officer: '情報セキュリティ担当',
  procurement: '所管課担当',
  auditor: '監査担当',
};

/** Roles for which the municipality setting `totpRequired` makes a second factor mandatory. */
export const PRIVILEGED_ROLES: readonly Role[] = ['admin', 'ciso', 'security_officer'];
