import path from 'node:path';
import { PERMISSION_ALLOWLIST, allowedPermission, levelRank } from '../../tools/sdf/permissionAllowlist';
import { loadSdfProject, type SdfRole } from '../../tools/sdf/project';
import { EXPECTED_APP_ROLE_PERMISSIONS } from '../../src/TypeScripts/suitebridge/lib/appRolePermissions';
import { REPO_ROOT } from './helpers/builtScripts';

const project = loadSdfProject(path.join(REPO_ROOT, 'src'));

function appRole(): SdfRole {
  const role = project.roles.find((r) => r.scriptId === 'customrole_sbr_integration');
  if (!role) throw new Error('src/Objects has no customrole_sbr_integration');
  return role;
}

describe('customrole_sbr_integration stays least-privilege', () => {
  it('is the only role, and not Web Services Only (it calls RESTlets, which refuse such a role)', () => {
    expect(project.roles.map((r) => r.scriptId)).toEqual(['customrole_sbr_integration']);
    expect(appRole().webServiceOnly).toBe(false);
  });

  it.each(appRole().permissions.map((p) => [p.permkey, p] as const))('%s is allowlisted with a reason, within its level, and commented', (_key, permission) => {
    const allowed = allowedPermission(permission.permkey);
    expect(allowed).toBeDefined();
    expect(allowed!.reason.length).toBeGreaterThan(20);
    expect(levelRank(permission.level)).toBeGreaterThanOrEqual(0);
    expect(levelRank(permission.level)).toBeLessThanOrEqual(levelRank(allowed!.maxLevel));
    expect(permission.comments.join(' ')).toMatch(/why:\s*\S/);
  });

  it('holds exactly the permissions of the architecture contract', () => {
    expect(appRole().permissions.map((p) => `${p.permkey} ${p.level}`)).toEqual([
      'ADMI_LOGIN_OAUTH2 FULL',
      'ADMI_RESTWEBSERVICES FULL',
      'REPO_ANALYTICS EDIT',
      '[scriptid=customrecord_sbr_config] EDIT',
      'ADMI_MANAGE_OWN_OAUTH2_CERTS FULL',
    ]);
  });

  it('holds SuiteAnalytics Workbook at EDIT, its only level besides NONE, because REST web services and SuiteQL need it', () => {
    const workbook = appRole().permissions.find((p) => p.permkey === 'REPO_ANALYTICS');
    expect(workbook?.level).toBe('EDIT');
    expect(workbook?.comments.join(' ')).toMatch(/why: REST web services and SuiteQL over REST/);
  });

  it('the install check expects the same account-level permissions at the same levels as the role XML', () => {
    const levels: Record<string, number> = { NONE: 0, VIEW: 1, CREATE: 2, EDIT: 3, FULL: 4 };
    const fromXml = appRole()
      .permissions.filter((p) => !p.permkey.startsWith('['))
      .map((p) => ({ key: p.permkey, level: levels[p.level] }));
    expect(EXPECTED_APP_ROLE_PERMISSIONS.map(({ key, level }) => ({ key, level }))).toEqual(fromXml);
    expect(EXPECTED_APP_ROLE_PERMISSIONS.filter((p) => p.uncertainKey).map((p) => p.key)).toEqual(['ADMI_MANAGE_OWN_OAUTH2_CERTS']);
  });

  it('has no stale allowlist entries (each one is used by the role)', () => {
    const used = new Set(appRole().permissions.map((p) => p.permkey.toLowerCase()));
    expect(PERMISSION_ALLOWLIST.map((p) => p.permkey).filter((k) => !used.has(k.toLowerCase()))).toEqual([]);
  });

  it('marks the uncertain permission key as such, and documents it', () => {
    expect(PERMISSION_ALLOWLIST.filter((p) => p.keyStatus === 'UNCERTAIN').map((p) => p.permkey)).toEqual(['ADMI_MANAGE_OWN_OAUTH2_CERTS']);
    const cert = appRole().permissions.find((p) => p.permkey === 'ADMI_MANAGE_OWN_OAUTH2_CERTS');
    expect(cert?.comments.join(' ')).toMatch(/UNCERTAIN/);
  });

  it('matches the config record type, whose permission list names only the app role and Administrator', () => {
    const record = project.customRecordTypes.find((r) => r.scriptId === 'customrecord_sbr_config');
    expect(record?.accessType).toBe('USEPERMISSIONLIST');
    expect(record?.permissions).toEqual([
      { role: '[scriptid=customrole_sbr_integration]', level: 'EDIT' },
      { role: 'ADMINISTRATOR', level: 'FULL' },
    ]);
  });
});
