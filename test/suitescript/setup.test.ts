import { mockNetSuiteModules, scriptOnFreshAccount } from './helpers/fakeAccountScript';
import { APP_ROLE_USER, COST, FakeNetSuite, FakeSuiteScriptError, thrownBy } from './helpers/fakeNetSuite';

mockNetSuiteModules();

interface SetupScript {
  post: (body?: unknown) => { entity: number; roleId: number; roleScriptId: string; changed: boolean };
}

describe('sbr_rl_setup (built AMD)', () => {
  let ns: FakeNetSuite;
  let setup: SetupScript;

  beforeEach(() => {
    ({ ns, script: setup } = scriptOnFreshAccount<SetupScript>('sbr_rl_setup'));
  });

  it('exports only the POST entry point', () => {
    expect(Object.keys(setup)).toEqual(['post']);
  });

  it('gives the app role and login access (Give Access) to the employee and reports the change', () => {
    ns.employees.set(8, [15]);
    expect(ns.giveAccess.get(8)).toBeUndefined();
    expect(setup.post({ entity: 8 })).toEqual({ entity: 8, roleId: 1001, roleScriptId: 'customrole_sbr_integration', changed: true });
    expect(ns.employees.get(8)).toEqual([15, 1001]);
    expect(ns.giveAccess.get(8)).toBe(true);
    expect(ns.savedEmployees).toEqual([8]);
    expect(ns.remaining).toBe(5000 - COST.runSuiteQL - COST.employeeLoad - COST.employeeSave);
  });

  it('turns Give Access on for an employee that holds the role without it, in one save', () => {
    ns.employees.set(8, [1001]);
    ns.giveAccess.set(8, false);
    expect(setup.post({ entity: 8 })).toMatchObject({ changed: true, roleId: 1001 });
    expect(ns.employees.get(8)).toEqual([1001]);
    expect(ns.giveAccess.get(8)).toBe(true);
    expect(ns.savedEmployees).toEqual([8]);
  });

  it('saves nothing when the employee already holds the role with access', () => {
    ns.employees.set(8, [1001]);
    ns.giveAccess.set(8, true);
    expect(setup.post({ entity: 8 })).toMatchObject({ changed: false });
    expect(ns.savedEmployees).toEqual([]);
    expect(ns.remaining).toBe(5000 - COST.runSuiteQL - COST.employeeLoad);
  });

  it('reports an employee save NetSuite refuses, with its message and the manual fix', () => {
    ns.employeeSaveError = new FakeSuiteScriptError('USER_ERROR', 'Please enter value(s) for: Email');
    const error = thrownBy(() => setup.post({ entity: 8 }));
    expect(error.name).toBe('SBR_EMPLOYEE_SAVE_FAILED');
    expect(error.message).toContain('NetSuite did not save employee 8 (USER_ERROR: Please enter value(s) for: Email)');
    expect(error.message).toContain('check Give Access and add the role customrole_sbr_integration');
    expect(ns.employees.get(8)).toEqual([]);
  });

  it('is idempotent: a second call changes nothing and saves nothing', () => {
    setup.post({ entity: 8 });
    const savesAfterFirst = ns.savedEmployees.length;
    expect(setup.post({ entity: 8 })).toMatchObject({ changed: false, roleId: 1001 });
    expect(ns.savedEmployees).toHaveLength(savesAfterFirst);
    expect(ns.employees.get(8)).toEqual([1001]);
    expect(ns.giveAccess.get(8)).toBe(true);
  });

  it('accepts a JSON string body (text/plain)', () => {
    expect(setup.post('{"entity": 8}')).toMatchObject({ entity: 8, changed: true });
  });

  it.each([
    ['the app role', { ...APP_ROLE_USER }],
    ['a custom role with a high internal ID', { id: 7, role: 1055, roleId: 'customrole_other', permissions: {} }],
  ])('refuses callers with %s', (_label, user) => {
    ns.user = user;
    const error = thrownBy(() => setup.post({ entity: 8 }));
    expect(error.name).toBe('SBR_FORBIDDEN');
    expect(error.message).toMatch(/Administrator role \(internal ID 3\)/);
    expect(ns.employees.get(8)).toEqual([]);
    expect(ns.remaining).toBe(5000);
  });

  it.each([
    ['a non-JSON string', 'entity=8', 'SBR_INVALID_BODY', /not valid JSON/],
    ['an array', [8], 'SBR_INVALID_BODY', /JSON object/],
    ['null', null, 'SBR_INVALID_BODY', /JSON object/],
    ['no body', undefined, 'SBR_INVALID_BODY', /JSON object/],
    ['an unknown field', { entity: 8, role: 3 }, 'SBR_UNKNOWN_FIELD', /'role'/],
    ['a missing entity', {}, 'SBR_INVALID_ENTITY', /'entity'/],
    ['a string entity', { entity: '8' }, 'SBR_INVALID_ENTITY', /'entity'/],
    ['a fractional entity', { entity: 8.5 }, 'SBR_INVALID_ENTITY', /'entity'/],
    ['a negative entity', { entity: -8 }, 'SBR_INVALID_ENTITY', /'entity'/],
    ['a zero entity', { entity: 0 }, 'SBR_INVALID_ENTITY', /'entity'/],
    ['a huge entity', { entity: 2 ** 40 }, 'SBR_INVALID_ENTITY', /'entity'/],
  ])('rejects %s', (_label, body, code, message) => {
    const error = thrownBy(() => setup.post(body));
    expect(error.name).toBe(code);
    expect(error.message).toMatch(message);
    expect(ns.remaining).toBe(5000);
  });

  it('reports an entity that is not an employee', () => {
    const error = thrownBy(() => setup.post({ entity: 99 }));
    expect(error.name).toBe('SBR_ENTITY_NOT_FOUND');
    expect(error.message).toMatch(/'entity' 99/);
  });

  it('reports a missing app role before touching the employee', () => {
    ns.roles = [];
    const error = thrownBy(() => setup.post({ entity: 8 }));
    expect(error.name).toBe('SBR_APP_ROLE_MISSING');
    expect(error.message).toMatch(/customrole_sbr_integration/);
    expect(ns.record.load).not.toHaveBeenCalled();
  });

  it('reports an inactive app role', () => {
    ns.roles = [{ id: 1001, scriptid: 'CUSTOMROLE_SBR_INTEGRATION', name: 'x', isinactive: 'T' }];
    expect(thrownBy(() => setup.post({ entity: 8 })).name).toBe('SBR_APP_ROLE_INACTIVE');
  });

  it('hides unexpected platform errors behind SBR_INTERNAL', () => {
    ns.record.load.mockImplementation(() => {
      throw Object.assign(new Error('secret internal detail'), { name: 'UNEXPECTED_ERROR' });
    });
    const error = thrownBy(() => setup.post({ entity: 8 }));
    expect(error.name).toBe('SBR_INTERNAL');
    expect(error.message).not.toMatch(/secret internal detail/);
    expect(error.stack ?? '').not.toMatch(/secret internal detail/);
  });
});
