/**
 * SuiteBundler for the emulator: deploys the SDF project into an account as a bundle. Creates the role, the
 * custom record tables and the script records, and runs the bundle installation script's hooks as
 * Administrator with 10,000 units each (beforeInstall before anything exists; a throw aborts).
 */
import * as fs from 'node:fs';
import type { BundleRecord, BundleSnapshot, InstalledRole, InstalledScript } from './bundleRegistry';
import { dropCustomRecordTable, ensureCustomRecordTable } from './customRecordTables';
import { BundleInstallError } from './errors';
import { USAGE_LIMITS } from './governance';
import { ADMINISTRATOR_ROLE_ID } from './permissions';
import type { RestletHost, ScriptRun } from './restletHost';
import { fileCabinetPath, type SdfProject, type ScriptDef } from './sdfProject';
import type { AccountDirectory, Clock, InstalledBundle, InstallResult, PermissionLevel, Role } from './types';

export interface BundleInstallerOptions {
  projectDir: string;
  directory: AccountDirectory;
  host: RestletHost;
  clock?: Clock;
}

export interface InstallOptions {
  /** Bundle version; default the manifest's projectversion or 1.0.0. */
  version?: string;
  /** Employee who installs (runtime.getCurrentUser().id in hooks); default -4, NetSuite's "-System-". */
  entityId?: number;
}

type RolePermissionSetter = (accountId: string, roleId: number, permissions: Map<string, PermissionLevel>) => void;

type Hook = 'beforeInstall' | 'afterInstall' | 'beforeUpdate' | 'afterUpdate' | 'beforeUninstall';

const SYSTEM_ENTITY = -4;

export class BundleInstaller {
  private readonly directory: AccountDirectory;
  private readonly host: RestletHost;
  private readonly clock: Clock;

  constructor(options: BundleInstallerOptions) {
    this.directory = options.directory;
    this.host = options.host;
    this.clock = options.clock ?? options.host.clock;
  }

  installed(accountId: string): InstalledBundle[] {
    if (!this.directory.account(accountId)) return [];
    return this.host.registry.list(accountId).map((b) => ({ bundleId: b.bundleId, installedAt: b.installedAt }));
  }

  async install(accountId: string, bundleId: string, options: InstallOptions = {}): Promise<InstallResult> {
    this.requireAccount(accountId);
    const id = requireBundleId(bundleId);
    const project = this.loadProject();
    checkProject(project);
    this.checkNoConflict(accountId, id, project);
    const existing = this.host.registry.get(accountId, id);
    const version = options.version ?? project.version;
    const entityId = options.entityId ?? SYSTEM_ENTITY;
    const installer = project.scripts.find((s) => s.kind === 'bundleinstallationscript');
    const units = { used: 0 };

    if (existing) {
      const versions = { fromVersion: existing.version, toVersion: version };
      await this.runHook(accountId, installer, 'beforeUpdate', versions, entityId, units);
      const snapshot = this.deploy(accountId, project, existing.snapshot);
      this.host.registry.save(accountId, { ...existing, version, updatedAt: this.timestamp(), snapshot });
      await this.runHook(accountId, installer, 'afterUpdate', versions, entityId, units);
      return result(id, 'update', version, snapshot, units.used, existing.version);
    }

    await this.runHook(accountId, installer, 'beforeInstall', { version }, entityId, units);
    const snapshot = this.deploy(accountId, project, undefined);
    const now = this.timestamp();
    const record: BundleRecord = { bundleId: id, version, installedAt: now, updatedAt: now, snapshot };
    this.host.registry.save(accountId, record);
    try {
      await this.runHook(accountId, installer, 'afterInstall', { version }, entityId, units);
    } catch (err) {
      this.remove(accountId, record);
      throw err;
    }
    return result(id, 'install', version, snapshot, units.used);
  }

  async uninstall(accountId: string, bundleId: string, options: { entityId?: number } = {}): Promise<void> {
    this.requireAccount(accountId);
    const record = this.host.registry.get(accountId, requireBundleId(bundleId));
    if (!record) throw new BundleInstallError(`Bundle ${bundleId} is not installed in account ${accountId}.`);
    const installer = record.snapshot.scripts.find((s) => s.kind === 'bundleinstallationscript');
    const versions = { version: record.version };
    await this.runHook(accountId, installer, 'beforeUninstall', versions, options.entityId ?? SYSTEM_ENTITY, { used: 0 });
    this.remove(accountId, record);
  }

  private loadProject(): SdfProject {
    try {
      return this.host.project();
    } catch (err) {
      throw new BundleInstallError((err as Error).message);
    }
  }

  private requireAccount(accountId: string): void {
    if (!this.directory.account(accountId)) {
      throw new BundleInstallError(`Account ${accountId} does not exist in the emulator.`);
    }
  }

  private checkNoConflict(accountId: string, bundleId: string, project: SdfProject): void {
    for (const other of this.host.registry.list(accountId)) {
      if (other.bundleId === bundleId) continue;
      const clash = project.scripts.find((s) =>
        other.snapshot.scripts.some((o) => o.scriptId.toLowerCase() === s.scriptId.toLowerCase()),
      );
      if (clash) {
        throw new BundleInstallError(
          `Script ${clash.scriptId} is already installed in account ${accountId} by bundle ${other.bundleId}; ` +
            'uninstall that bundle first.',
        );
      }
    }
  }

  /** Creates (or, on update, brings up to date) the role, the record tables and the script records. */
  private deploy(accountId: string, project: SdfProject, previous: BundleSnapshot | undefined): BundleSnapshot {
    const db = this.directory.db(accountId);
    for (const type of project.customRecordTypes) ensureCustomRecordTable(db, type);
    const roles = project.roles.map((def): InstalledRole => {
      const existing = this.directory.getRoleByScriptId(accountId, def.scriptId);
      if (existing) this.updatePermissions(accountId, existing, def);
      const role = existing ?? this.createRole(accountId, def);
      return { ...def, internalId: role.internalId };
    });
    if (previous) {
      for (const old of previous.customRecordTypes) {
        if (!project.customRecordTypes.some((t) => t.scriptId === old.scriptId)) dropCustomRecordTable(db, old.scriptId);
      }
      for (const old of previous.roles) {
        if (!roles.some((r) => r.internalId === old.internalId)) this.directory.deleteRole(accountId, old.internalId);
      }
    }
    return {
      projectName: project.name,
      roles,
      customRecordTypes: project.customRecordTypes,
      scripts: this.scriptRecords(accountId, project.scripts, previous),
    };
  }

  private createRole(accountId: string, def: SdfProject['roles'][number]): Role {
    const permissions = new Map<string, PermissionLevel>(def.permissions.map((p) => [p.permkey, p.level]));
    return this.directory.createRole(accountId, { scriptId: def.scriptId, name: def.name, isAdministrator: false, permissions });
  }

  /**
   * An update brings the role's permissions in line with the XML when the directory offers
   * `setRolePermissions` (not in the written contract); otherwise the difference is logged.
   */
  private updatePermissions(accountId: string, role: Role, def: SdfProject['roles'][number]): void {
    const wanted = new Map<string, PermissionLevel>(def.permissions.map((p) => [p.permkey, p.level]));
    const same = wanted.size === role.permissions.size && [...wanted].every(([k, v]) => role.permissions.get(k) === v);
    if (same) return;
    const updater = (this.directory as { setRolePermissions?: RolePermissionSetter }).setRolePermissions;
    if (updater) {
      updater.call(this.directory, accountId, role.internalId, wanted);
      return;
    }
    this.host.note(accountId, def.scriptId, `role ${def.scriptId} keeps its old permissions: the directory cannot update them`);
  }

  /** Script records keep their internal IDs across updates. */
  private scriptRecords(accountId: string, scripts: ScriptDef[], previous: BundleSnapshot | undefined): InstalledScript[] {
    let next = this.host.registry.nextScriptInternalId(accountId);
    return scripts.map((s) => {
      const old = previous?.scripts.find((o) => o.scriptId === s.scriptId);
      return {
        ...s,
        internalId: old?.internalId ?? next++,
        deployments: s.deployments.map((d) => ({
          ...d,
          internalId: old?.deployments.find((o) => o.scriptId === d.scriptId)?.internalId ?? next++,
        })),
      };
    });
  }

  private remove(accountId: string, record: BundleRecord): void {
    const db = this.directory.db(accountId);
    this.host.registry.remove(accountId, record.bundleId);
    for (const role of record.snapshot.roles) {
      if (this.directory.getRole(accountId, role.internalId)) this.directory.deleteRole(accountId, role.internalId);
    }
    for (const type of record.snapshot.customRecordTypes) dropCustomRecordTable(db, type.scriptId);
  }

  private async runHook(
    accountId: string,
    script: Pick<ScriptDef, 'scriptId' | 'scriptFile' | 'deployments'> | undefined,
    hook: Hook,
    context: Record<string, string>,
    entityId: number,
    units: { used: number },
  ): Promise<void> {
    if (!script) return;
    const deployment = script.deployments[0];
    const run: ScriptRun = {
      accountId,
      scriptId: script.scriptId,
      deploymentId: deployment?.scriptId ?? script.scriptId.replace(/^customscript/, 'customdeploy'),
      logLevel: deployment?.logLevel ?? 'DEBUG',
      scriptFile: script.scriptFile,
      entityId,
      role: this.administrator(accountId),
      usageLimit: USAGE_LIMITS.BUNDLE_INSTALLATION,
      executionContext: 'BUNDLE_INSTALLATION',
    };
    const outcome = await this.host.runEntryPoint(run, hook, [{ ...context }]);
    units.used += outcome.unitsUsed;
    if (outcome.kind === 'error') {
      throw new BundleInstallError(`${hook} in ${script.scriptId} failed: ${outcome.code}: ${outcome.message}`);
    }
  }

  private administrator(accountId: string): Role {
    return (
      this.directory.getRole(accountId, ADMINISTRATOR_ROLE_ID) ?? {
        internalId: ADMINISTRATOR_ROLE_ID,
        scriptId: 'administrator',
        name: 'Administrator',
        isAdministrator: true,
        permissions: new Map(),
      }
    );
  }

  private timestamp(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

function requireBundleId(bundleId: string): string {
  const id = String(bundleId ?? '').trim();
  if (!/^\d{1,10}$/.test(id)) throw new BundleInstallError(`Bundle ID "${bundleId}" is not valid; bundle IDs are numbers such as 512345.`);
  return id;
}

/** Every script file must exist in the built File Cabinet before anything is installed. */
function checkProject(project: SdfProject): void {
  for (const script of project.scripts) {
    const file = fileCabinetPath(project, script.scriptFile);
    if (!script.scriptFile || !fs.existsSync(file)) {
      throw new BundleInstallError(
        `Script file ${script.scriptFile || '(none)'} of ${script.scriptId} is missing from ${project.root}/FileCabinet. ` +
          'Build the SuiteScript first (npm run build:suitescript).',
      );
    }
    if (script.kind === 'restlet' && !project.deployedFiles.has(script.scriptFile)) {
      throw new BundleInstallError(`Script file ${script.scriptFile} of ${script.scriptId} is not listed in deploy.xml <files>.`);
    }
  }
}

function result(
  bundleId: string,
  action: InstallResult['action'],
  version: string,
  snapshot: BundleSnapshot,
  unitsUsed: number,
  fromVersion?: string,
): InstallResult {
  const role = snapshot.roles[0];
  return {
    bundleId,
    action,
    version,
    ...(fromVersion !== undefined ? { fromVersion } : {}),
    role: { internalId: role?.internalId ?? 0, scriptId: role?.scriptId ?? '' },
    customRecordTypes: snapshot.customRecordTypes.map((t) => t.scriptId),
    scripts: snapshot.scripts.map((s) => s.scriptId),
    unitsUsed,
  };
}
