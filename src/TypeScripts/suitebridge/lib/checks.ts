import { describeError } from './errors';

export type CheckId =
  | 'bundle_installed'
  | 'script_bundle'
  | 'features'
  | 'app_role'
  | 'entity_role'
  | 'caller_permissions'
  | 'config_record';

export interface Check {
  id: CheckId;
  ok: boolean;
  detail: string;
  remedy: string;
}

export function skipped(id: CheckId, reason: string): Check {
  return { id, ok: true, detail: `skipped: ${reason}`, remedy: '' };
}

/** A check that throws reports the failure instead of aborting the whole report. */
export function runCheck(id: CheckId, remedyOnError: string, check: () => Check): Check {
  try {
    return check();
  } catch (e) {
    return { id, ok: false, detail: `check failed: ${describeError(e)}`, remedy: remedyOnError };
  }
}
