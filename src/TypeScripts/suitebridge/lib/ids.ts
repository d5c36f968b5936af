// Script IDs fixed by docs/architecture.md ("SDF project"). The object XML in src/Objects uses the same values.

export const APP_ROLE_SCRIPT_ID = 'customrole_sbr_integration';
export const ADMINISTRATOR_ROLE_ID = 3;

export const CONFIG_RECORD_TYPE = 'customrecord_sbr_config';
export const CONFIG_KEY_FIELD = 'custrecord_sbr_config_key';
export const CONFIG_VALUE_FIELD = 'custrecord_sbr_config_value';

export const OUR_SCRIPT_IDS: readonly string[] = [
  'customscript_sbr_rl_health',
  'customscript_sbr_rl_install_check',
  'customscript_sbr_rl_config',
  'customscript_sbr_rl_setup',
  'customscript_sbr_bis_install',
];

export const EMPLOYEE_ROLES_SUBLIST = 'roles';
export const EMPLOYEE_ROLE_FIELD = 'selectedrole';
/** The employee's "Give Access" box (Access subtab): login access for the roles on the roles sublist. */
export const EMPLOYEE_GIVE_ACCESS_FIELD = 'giveaccess';

/** NetSuite returns script IDs upper case from SuiteQL and lower case elsewhere. */
export function sameScriptId(a: string | null | undefined, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}
