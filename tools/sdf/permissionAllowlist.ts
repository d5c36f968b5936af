/**
 * The only permissions the app role may hold, each with the highest level allowed and the reason.
 * The validator (rule role-permissions) and test/suitescript/role-allowlist.test.ts hold the role XML to this list:
 * adding a permission means adding it here, with a reason, in the same review.
 */
export type PermissionLevel = 'NONE' | 'VIEW' | 'CREATE' | 'EDIT' | 'FULL';
export const PERMISSION_LEVELS: readonly PermissionLevel[] = ['NONE', 'VIEW', 'CREATE', 'EDIT', 'FULL'];

export interface AllowedPermission {
  permkey: string;
  maxLevel: PermissionLevel;
  reason: string;
  /** CONFIRMED in Oracle's permission list, or UNCERTAIN (documented in README.md, "The role's permissions"). */
  keyStatus: 'CONFIRMED' | 'UNCERTAIN';
}

export const PERMISSION_ALLOWLIST: readonly AllowedPermission[] = [
  {
    permkey: 'ADMI_LOGIN_OAUTH2',
    maxLevel: 'FULL',
    reason: 'Log in using OAuth 2.0 access tokens: both the client credentials (M2M) and authorization code grants need it.',
    keyStatus: 'CONFIRMED',
  },
  {
    permkey: 'ADMI_RESTWEBSERVICES',
    maxLevel: 'FULL',
    reason: 'REST web services: the client runs SuiteQL, reads records and governance limits over REST.',
    keyStatus: 'CONFIRMED',
  },
  {
    permkey: 'REPO_ANALYTICS',
    maxLevel: 'EDIT',
    reason: 'SuiteAnalytics Workbook: REST web services and SuiteQL over REST need it; EDIT is the only level besides NONE it accepts.',
    keyStatus: 'CONFIRMED',
  },
  {
    permkey: '[scriptid=customrecord_sbr_config]',
    maxLevel: 'EDIT',
    reason: 'The config RESTlet reads and upserts configuration entries as this role; it never deletes them.',
    keyStatus: 'CONFIRMED',
  },
  {
    permkey: 'ADMI_MANAGE_OWN_OAUTH2_CERTS',
    maxLevel: 'FULL',
    reason: 'Manage own OAuth 2.0 Client Credentials certificates, so the app can rotate its own certificate.',
    keyStatus: 'UNCERTAIN',
  },
];

export function allowedPermission(permkey: string): AllowedPermission | undefined {
  return PERMISSION_ALLOWLIST.find((p) => p.permkey.toLowerCase() === permkey.trim().toLowerCase());
}

export function levelRank(level: string): number {
  return PERMISSION_LEVELS.indexOf(level.toUpperCase() as PermissionLevel);
}
