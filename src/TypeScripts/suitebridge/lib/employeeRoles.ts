import * as record from 'N/record';
import { EMPLOYEE_GIVE_ACCESS_FIELD, EMPLOYEE_ROLE_FIELD, EMPLOYEE_ROLES_SUBLIST } from './ids';

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

/**
 * True only when the employee record says "Give Access" is off. A role without login access is useless: tokens for
 * that employee and role are refused. Any other answer (true, or no value at all) is not treated as off.
 */
export function accessIsOff(employee: record.Record): boolean {
  const value = employee.getValue({ fieldId: EMPLOYEE_GIVE_ACCESS_FIELD });
  return value === false || value === 'F';
}

/** Adds a roles line for the role unless it is there, checks Give Access, and saves once (10 units for an employee). */
export function grantRoleWithAccess(employee: record.Record, roleId: number): void {
  if (!holdsRole(employee, roleId)) {
    const line = Math.max(employee.getLineCount({ sublistId: EMPLOYEE_ROLES_SUBLIST }), 0);
    employee.insertLine({ sublistId: EMPLOYEE_ROLES_SUBLIST, line });
    employee.setSublistValue({ sublistId: EMPLOYEE_ROLES_SUBLIST, fieldId: EMPLOYEE_ROLE_FIELD, line, value: roleId });
  }
  employee.setValue({ fieldId: EMPLOYEE_GIVE_ACCESS_FIELD, value: true });
  employee.save();
}
