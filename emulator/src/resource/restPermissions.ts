/**
 * Oracle: REST web services (records, SuiteQL over REST) need the role permissions REST Web Services and SuiteAnalytics
 * Workbook at level EDIT, besides OAuth 2.0 sign-in (reference §0). The levels come from the account's roles, i.e. from
 * the role XML for bundle-installed roles. Administrator holds every permission.
 */
import type { PermissionLevel } from '../config/types';
import type { EmulatorServices } from '../services';
import type { Caller } from './bearer';
import { INVALID_LOGIN_DETAIL } from './problem';

export const REST_WEB_SERVICES_PERMISSION = 'ADMI_RESTWEBSERVICES';
export const SUITEANALYTICS_WORKBOOK_PERMISSION = 'REPO_ANALYTICS';

const RANK: Record<PermissionLevel, number> = { NONE: 0, VIEW: 1, CREATE: 2, EDIT: 3, FULL: 4 };

export interface PermissionRefusal {
  status: 401 | 403;
  code: string;
  detail: string;
  /** Why, for the login audit trail. */
  auditReason: string;
}

/**
 * UNCERTAIN status codes (Oracle names the permissions, not the answer): a role without REST Web Services is refused
 * at login (401 INVALID_LOGIN, like any REST login failure); one without SuiteAnalytics Workbook EDIT gets 403
 * INSUFFICIENT_PERMISSION naming the permission.
 */
export function restWebServicesRefusal(s: EmulatorServices, caller: Caller): PermissionRefusal | undefined {
  const level = (key: string) => s.directory.permissionLevel(caller.accountId, caller.role, key);
  if (level(REST_WEB_SERVICES_PERMISSION) === 'NONE') {
    return { status: 401, code: 'INVALID_LOGIN', detail: INVALID_LOGIN_DETAIL, auditReason: `InsufficientPermission:${REST_WEB_SERVICES_PERMISSION}` };
  }
  if (RANK[level(SUITEANALYTICS_WORKBOOK_PERMISSION)] < RANK.EDIT) {
    return {
      status: 403, code: 'INSUFFICIENT_PERMISSION',
      detail: `The role needs the SuiteAnalytics Workbook permission (${SUITEANALYTICS_WORKBOOK_PERMISSION}) at level Edit to use REST web services. Add it to the role.`,
      auditReason: `InsufficientPermission:${SUITEANALYTICS_WORKBOOK_PERMISSION}`,
    };
  }
  return undefined;
}
