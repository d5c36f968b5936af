/** runtime.Permission values (NONE 0 … FULL 4). */
export const PERMISSION_LEVEL = { NONE: 0, VIEW: 1, CREATE: 2, EDIT: 3, FULL: 4 } as const;

export interface ExpectedPermission {
  key: string;
  level: number;
  /**
   * The key itself is not confirmed by Oracle. Any shortfall (a read that throws, an answer that is not a level, or a
   * level below the expected one) is reported as a note, not as a failure: NetSuite cannot tell us whether the role
   * lacks the permission or the key is not NetSuite's name for it.
   */
  uncertainKey: boolean;
}

/** Account-level permissions of customrole_sbr_integration (src/Objects/customrole_sbr_integration.xml). */
export const EXPECTED_APP_ROLE_PERMISSIONS: readonly ExpectedPermission[] = [
  { key: 'ADMI_LOGIN_OAUTH2', level: PERMISSION_LEVEL.FULL, uncertainKey: false },
  { key: 'ADMI_RESTWEBSERVICES', level: PERMISSION_LEVEL.FULL, uncertainKey: false },
  { key: 'REPO_ANALYTICS', level: PERMISSION_LEVEL.EDIT, uncertainKey: false },
  { key: 'ADMI_MANAGE_OWN_OAUTH2_CERTS', level: PERMISSION_LEVEL.FULL, uncertainKey: true },
];
