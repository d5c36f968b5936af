/**
 * A small in-memory account behind Oracle's N/* stubs (auto-mocked by mockNetSuiteModules in fakeAccountScript.ts).
 * Every API charges the governance units NetSuite documents, so scripts' getRemainingUsage() deltas are real.
 */

type Fn = jest.Mock;

interface RuntimeMock {
  accountId: string;
  envType: string;
  version: string;
  getCurrentUser: Fn;
  getCurrentScript: Fn;
  isFeatureInEffect: Fn;
}
interface QueryMock {
  runSuiteQL: Fn;
}
interface RecordMock {
  Type: { EMPLOYEE: string };
  load: Fn;
  create: Fn;
  submitFields: Fn;
}
interface SuiteAppInfoMock {
  isBundleInstalled: Fn;
  listBundlesContainingScripts: Fn;
}
interface ErrorMock {
  create: Fn;
}
interface LogMock {
  debug: Fn;
  audit: Fn;
  error: Fn;
  emergency: Fn;
}

export const COST = {
  runSuiteQL: 10,
  employeeLoad: 5,
  employeeSave: 10,
  customRecordCreate: 2,
  customRecordSave: 4,
  customRecordSubmitFields: 2,
  isBundleInstalled: 5,
  listBundlesContainingScripts: 10,
} as const;

export interface FakeRole {
  id: number;
  scriptid: string;
  name: string;
  isinactive: 'T' | 'F';
}
export interface FakeConfigRow {
  id: number;
  key: string;
  value: string | null;
  isinactive: 'T' | 'F';
}
export interface FakeUser {
  id: number;
  role: number;
  roleId: string;
  permissions: Record<string, number | undefined>;
}

/** What error.create returns here: the name/message shape of a SuiteScriptError. */
export class FakeSuiteScriptError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export const ADMIN_USER: FakeUser = { id: 7, role: 3, roleId: 'administrator', permissions: {} };
export const APP_ROLE: FakeRole = { id: 1001, scriptid: 'CUSTOMROLE_SBR_INTEGRATION', name: 'SuiteBridge Integration', isinactive: 'F' };
export const APP_ROLE_USER: FakeUser = {
  id: 8,
  role: 1001,
  roleId: 'customrole_sbr_integration',
  permissions: { ADMI_LOGIN_OAUTH2: 4, ADMI_RESTWEBSERVICES: 4, REPO_ANALYTICS: 3, ADMI_MANAGE_OWN_OAUTH2_CERTS: 4 },
};

/** The feature IDs SuiteBridge asks about; a healthy account has all of them on. */
export const ALL_FEATURES = ['SERVERSIDESCRIPTING', 'CUSTOMRECORDS', 'OAUTH2', 'RESTWEBSERVICES', 'CUSTOMCODE', 'SUITEANALYTICSWORKBOOK'] as const;

export class FakeNetSuite {
  remaining = 5000;
  user: FakeUser = { ...ADMIN_USER };
  features = new Set<string>(ALL_FEATURES);
  /** Feature IDs for which isFeatureInEffect throws, as for an ID the account does not know. */
  unknownFeatures = new Set<string>();
  /** Permission keys this account does not know; getPermission answers them with unknownPermissionAnswer. */
  unknownPermissionKeys = new Set<string>();
  unknownPermissionAnswer: 'throw' | 'undefined' = 'throw';
  roles: FakeRole[] = [{ ...APP_ROLE }];
  configRows: FakeConfigRow[] = [];
  /** entity → role internal IDs on its roles sublist */
  employees = new Map<number, number[]>([
    [7, [3]],
    [8, []],
  ]);
  /** entity → the employee's giveaccess value; entities not listed have it unchecked (false). */
  giveAccess = new Map<number, boolean>([[7, true]]);
  /** Set to make the next employee save fail with this NetSuite error. */
  employeeSaveError: FakeSuiteScriptError | undefined;
  installedBundles = new Set<string>();
  scriptBundles: Record<string, number[]> = {};
  /** Set to make the named SuiteQL table fail as if it did not exist. */
  missingTables = new Set<string>();
  savedEmployees: number[] = [];
  private nextConfigId = 1;

  readonly runtime = jest.requireMock<RuntimeMock>('N/runtime');
  readonly query = jest.requireMock<QueryMock>('N/query');
  readonly record = jest.requireMock<RecordMock>('N/record');
  readonly suiteAppInfo = jest.requireMock<SuiteAppInfoMock>('N/suiteAppInfo');
  readonly error = jest.requireMock<ErrorMock>('N/error');
  readonly log = jest.requireMock<LogMock>('N/log');

  constructor() {
    jest.clearAllMocks();
    this.runtime.accountId = '1234567';
    this.runtime.envType = 'PRODUCTION';
    this.runtime.version = '2026.2';
    this.runtime.getCurrentUser.mockImplementation(() => this.currentUser());
    this.runtime.getCurrentScript.mockImplementation(() => ({
      id: 'customscript_under_test',
      deploymentId: 'customdeploy_under_test',
      getRemainingUsage: () => this.remaining,
    }));
    this.runtime.isFeatureInEffect.mockImplementation(({ feature }: { feature: string }) => {
      if (this.unknownFeatures.has(feature)) throw new FakeSuiteScriptError('INVALID_FEATURE_ID', `Feature ID "${feature}" is not a valid feature.`);
      return this.features.has(feature);
    });
    this.query.runSuiteQL.mockImplementation((options: { query: string; params?: unknown[] }) => this.runSuiteQL(options));
    this.record.load.mockImplementation((options: { type: string; id: number }) => this.loadRecord(options));
    this.record.create.mockImplementation((options: { type: string }) => this.createRecord(options));
    this.record.submitFields.mockImplementation((options: { type: string; id: number; values: Record<string, unknown> }) =>
      this.submitFields(options),
    );
    this.suiteAppInfo.isBundleInstalled.mockImplementation(({ bundleId }: { bundleId: unknown }) => {
      // Oracle documents options.bundleId as an integer.
      expect(typeof bundleId).toBe('number');
      this.charge(COST.isBundleInstalled);
      return this.installedBundles.has(String(bundleId));
    });
    this.suiteAppInfo.listBundlesContainingScripts.mockImplementation(({ scriptIds }: { scriptIds: string[] }) => {
      this.charge(COST.listBundlesContainingScripts);
      return Object.fromEntries(scriptIds.map((id) => [id, this.scriptBundles[id] ?? []]));
    });
    this.error.create.mockImplementation(({ name, message }: { name: string; message: string }) => new FakeSuiteScriptError(name, message));
  }

  addConfig(key: string, value: string | null, isinactive: 'T' | 'F' = 'F'): void {
    this.configRows.push({ id: this.nextConfigId++, key, value, isinactive });
  }

  activeConfig(): Record<string, string | null> {
    return Object.fromEntries(this.configRows.filter((r) => r.isinactive === 'F').map((r) => [r.key, r.value]));
  }

  private charge(units: number): void {
    if (this.remaining < units) throw new FakeSuiteScriptError('SSS_USAGE_LIMIT_EXCEEDED', 'Script Execution Usage Limit Exceeded');
    this.remaining -= units;
  }

  private currentUser() {
    const user = this.user;
    return {
      id: user.id,
      role: user.role,
      roleId: user.roleId,
      getPermission: ({ name }: { name: string }) => {
        if (this.unknownPermissionKeys.has(name)) {
          if (this.unknownPermissionAnswer === 'throw') throw new FakeSuiteScriptError('SSS_INVALID_PERMISSION', `Unknown permission ${name}`);
          return undefined;
        }
        return user.permissions[name] ?? 0;
      },
    };
  }

  private runSuiteQL({ query, params = [] }: { query: string; params?: unknown[] }) {
    this.charge(COST.runSuiteQL);
    const table = /\bFROM\s+(\w+)/i.exec(query)?.[1]?.toLowerCase() ?? '';
    if (this.missingTables.has(table)) {
      throw new FakeSuiteScriptError('SSS_SEARCH_ERROR_OCCURRED', `Search error occurred: Record '${table}' was not found.`);
    }
    let rows: Record<string, unknown>[];
    if (table === 'role') {
      expect(query).toMatch(/WHERE UPPER\(scriptid\) = \?/);
      rows = this.roles.filter((r) => r.scriptid.toUpperCase() === params[0]).map((r) => ({ ...r }));
    } else if (table === 'customrecord_sbr_config') {
      rows = [...this.configRows]
        .sort((a, b) => a.id - b.id)
        .map((r) => ({
          id: r.id,
          custrecord_sbr_config_key: r.key,
          custrecord_sbr_config_value: r.value,
          isinactive: r.isinactive,
        }));
    } else {
      throw new Error(`fake SuiteQL: unexpected query ${query}`);
    }
    return { results: rows.map((r) => ({ values: Object.values(r) })), asMappedResults: () => rows };
  }

  private loadRecord({ type, id }: { type: string; id: number }) {
    if (type !== 'employee') throw new Error(`fake record.load: unexpected type ${type}`);
    this.charge(COST.employeeLoad);
    const stored = this.employees.get(Number(id));
    if (!stored) throw new FakeSuiteScriptError('RCRD_DSNT_EXIST', `That record does not exist. path: employee, id: ${id}`);
    const lines = [...stored];
    let access = this.giveAccess.get(Number(id)) ?? false;
    const bodyGuard = (fieldId: string) => expect(fieldId).toBe('giveaccess');
    const sublistGuard = (sublistId: string, fieldId?: string) => {
      expect(sublistId).toBe('roles');
      if (fieldId !== undefined) expect(fieldId).toBe('selectedrole');
    };
    const employee = {
      getValue: ({ fieldId }: { fieldId: string }) => (bodyGuard(fieldId), access),
      setValue: ({ fieldId, value }: { fieldId: string; value: unknown }) => {
        bodyGuard(fieldId);
        expect(typeof value).toBe('boolean');
        access = value as boolean;
        return employee;
      },
      getLineCount: ({ sublistId }: { sublistId: string }) => (sublistGuard(sublistId), lines.length),
      getSublistValue: ({ sublistId, fieldId, line }: { sublistId: string; fieldId: string; line: number }) => (
        sublistGuard(sublistId, fieldId), String(lines[line])
      ),
      insertLine: ({ sublistId, line }: { sublistId: string; line: number }) => {
        sublistGuard(sublistId);
        lines.splice(line, 0, 0);
        return employee;
      },
      setSublistValue: ({ sublistId, fieldId, line, value }: { sublistId: string; fieldId: string; line: number; value: number }) => {
        sublistGuard(sublistId, fieldId);
        lines[line] = Number(value);
        return employee;
      },
      save: () => {
        this.charge(COST.employeeSave);
        if (this.employeeSaveError) throw this.employeeSaveError;
        this.employees.set(Number(id), lines);
        this.giveAccess.set(Number(id), access);
        this.savedEmployees.push(Number(id));
        return Number(id);
      },
    };
    return employee;
  }

  private createRecord({ type }: { type: string }) {
    if (type !== 'customrecord_sbr_config') throw new Error(`fake record.create: unexpected type ${type}`);
    if (this.missingTables.has(type)) throw new FakeSuiteScriptError('INVALID_RCRD_TYPE', `Invalid record type ${type}`);
    this.charge(COST.customRecordCreate);
    const values: Record<string, unknown> = {};
    return {
      setValue: ({ fieldId, value }: { fieldId: string; value: unknown }) => {
        values[fieldId] = value;
      },
      save: () => {
        this.charge(COST.customRecordSave);
        expect(values['name']).toBe(values['custrecord_sbr_config_key']);
        const id = this.nextConfigId++;
        this.configRows.push({
          id,
          key: String(values['custrecord_sbr_config_key']),
          value: String(values['custrecord_sbr_config_value']),
          isinactive: 'F',
        });
        return id;
      },
    };
  }

  private submitFields({ type, id, values }: { type: string; id: number; values: Record<string, unknown> }) {
    if (type !== 'customrecord_sbr_config') throw new Error(`fake record.submitFields: unexpected type ${type}`);
    this.charge(COST.customRecordSubmitFields);
    const row = this.configRows.find((r) => r.id === id);
    if (!row) throw new FakeSuiteScriptError('RCRD_DSNT_EXIST', 'That record does not exist.');
    if ('custrecord_sbr_config_value' in values) row.value = String(values['custrecord_sbr_config_value']);
    if ('isinactive' in values) row.isinactive = values['isinactive'] ? 'T' : 'F';
    return id;
  }
}

/** Runs a call expected to throw and returns the thrown error for assertions. */
export function thrownBy(call: () => unknown): FakeSuiteScriptError {
  try {
    call();
  } catch (e) {
    return e as FakeSuiteScriptError;
  }
  throw new Error('expected the call to throw');
}
