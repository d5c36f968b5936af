/**
 * The userinfo answer. NetSuite's own claim list is not documented (UNCERTAIN), so the default sends only OIDC core
 * claims (`oidc`); `extended` adds the account, role ID and role name the emulator used to send, for tools built on them.
 */
import type { Caller } from '../resource/bearer';
import type { EmulatorServices } from '../services';

export type UserinfoClaims = 'oidc' | 'extended';

export function userinfoBody(s: EmulatorServices, caller: Caller): Record<string, unknown> {
  const employee = s.directory.getEmployee(caller.accountId, caller.entity);
  const body: Record<string, unknown> = {
    sub: String(caller.entity), name: employee?.name, email: employee?.email, given_name: employee?.firstName, family_name: employee?.lastName,
  };
  if (s.config.shapes.userinfoClaims === 'extended') {
    Object.assign(body, { account: caller.accountId, role: caller.role, roleName: s.directory.getRole(caller.accountId, caller.role)?.name });
  }
  return body;
}
