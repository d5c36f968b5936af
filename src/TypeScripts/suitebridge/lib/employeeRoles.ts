import * as record from 'N/record';
import { EMPLOYEE_ROLE_FIELD, EMPLOYEE_ROLES_SUBLIST } from './ids';

/** record.load (5 units). Null when no employee has that internal ID. */
export function loadEmployee(entity: number): record.Record | null {
  try {
    return record.load({ type: record.Type.EMPLOYEE, id: entity });
  } catch (e) {
    if (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'RCRD_DSNT_EXIST') return null;
    throw e;
  }
}

export function holdsRole(employee: record.Record, roleId: number): boolean {
  const lines = employee.getLineCount({ sublistId: EMPLOYEE_ROLES_SUBLIST });
  for (let line = 0; line < lines; line++) {
    const value = employee.getSublistValue({ sublistId: EMPLOYEE_ROLES_SUBLIST, fieldId: EMPLOYEE_ROLE_FIELD, line });
    if (Number(value) === roleId) return true;
  }
  return false;
}

/** Appends a roles line and saves (10 units for an employee). */
export function giveRole(employee: record.Record, roleId: number): void {
  const line = Math.max(employee.getLineCount({ sublistId: EMPLOYEE_ROLES_SUBLIST }), 0);
  employee.insertLine({ sublistId: EMPLOYEE_ROLES_SUBLIST, line });
  employee.setSublistValue({ sublistId: EMPLOYEE_ROLES_SUBLIST, fieldId: EMPLOYEE_ROLE_FIELD, line, value: roleId });
  employee.save();
}
