/**
 * Which bundles are installed in an account and what they installed, kept in the account's own database
 * (so it survives restarts with --data-dir). Object definitions are snapshotted at install time, as NetSuite
 * copies them into the account; script files are read live from the project's File Cabinet.
 */
import type { Database } from 'better-sqlite3';
import type { CustomRecordTypeDef, DeploymentDef, RoleDef, ScriptDef } from './sdfProject';

export interface InstalledDeployment extends DeploymentDef {
  internalId: number;
}

export interface InstalledScript extends Omit<ScriptDef, 'deployments'> {
  internalId: number;
  deployments: InstalledDeployment[];
}

export interface InstalledRole extends RoleDef {
  internalId: number;
}

export interface BundleSnapshot {
  projectName: string;
  roles: InstalledRole[];
  customRecordTypes: CustomRecordTypeDef[];
  scripts: InstalledScript[];
}

export interface BundleRecord {
  bundleId: string;
  version: string;
  installedAt: string;
  updatedAt: string;
  snapshot: BundleSnapshot;
}

const TABLE = 'emulator_installed_bundle';

interface Row {
  bundle_id: string;
  version: string;
  installed_at: string;
  updated_at: string;
  snapshot: string;
}

export class BundleRegistry {
  constructor(private readonly dbOf: (accountId: string) => Database) {}

  private db(accountId: string): Database {
    const db = this.dbOf(accountId);
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (bundle_id TEXT PRIMARY KEY, version TEXT NOT NULL,
       installed_at TEXT NOT NULL, updated_at TEXT NOT NULL, snapshot TEXT NOT NULL)`,
    );
    return db;
  }

  list(accountId: string): BundleRecord[] {
    const rows = this.db(accountId).prepare(`SELECT * FROM ${TABLE} ORDER BY installed_at, bundle_id`).all() as Row[];
    return rows.map(toRecord);
  }

  get(accountId: string, bundleId: string): BundleRecord | undefined {
    const row = this.db(accountId).prepare(`SELECT * FROM ${TABLE} WHERE bundle_id = ?`).get(bundleId) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  save(accountId: string, record: BundleRecord): void {
    this.db(accountId)
      .prepare(
        `INSERT INTO ${TABLE} (bundle_id, version, installed_at, updated_at, snapshot) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(bundle_id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at,
         snapshot = excluded.snapshot`,
      )
      .run(record.bundleId, record.version, record.installedAt, record.updatedAt, JSON.stringify(record.snapshot));
  }

  remove(accountId: string, bundleId: string): void {
    this.db(accountId).prepare(`DELETE FROM ${TABLE} WHERE bundle_id = ?`).run(bundleId);
  }

  /** The installed script with this script ID (case-insensitive) or numeric internal ID, and its bundle. */
  findScript(accountId: string, idOrScriptId: string): { bundle: BundleRecord; script: InstalledScript } | undefined {
    const wanted = idOrScriptId.trim().toLowerCase();
    for (const bundle of this.list(accountId)) {
      const script = bundle.snapshot.scripts.find(
        (s) => s.scriptId.toLowerCase() === wanted || String(s.internalId) === wanted,
      );
      if (script) return { bundle, script };
    }
    return undefined;
  }

  bundlesContaining(accountId: string, scriptId: string): string[] {
    const wanted = scriptId.toLowerCase();
    return this.list(accountId)
      .filter((b) => b.snapshot.scripts.some((s) => s.scriptId.toLowerCase() === wanted))
      .map((b) => b.bundleId);
  }

  customRecordTypes(accountId: string): CustomRecordTypeDef[] {
    return this.list(accountId).flatMap((b) => b.snapshot.customRecordTypes);
  }

  installedRoles(accountId: string): InstalledRole[] {
    return this.list(accountId).flatMap((b) => b.snapshot.roles);
  }

  /** Next free internal ID for scripts and deployments across the account's bundles. */
  nextScriptInternalId(accountId: string): number {
    const ids = this.list(accountId).flatMap((b) =>
      b.snapshot.scripts.flatMap((s) => [s.internalId, ...s.deployments.map((d) => d.internalId)]),
    );
    return Math.max(100, ...ids) + 1;
  }
}

function toRecord(row: Row): BundleRecord {
  return {
    bundleId: row.bundle_id,
    version: row.version,
    installedAt: row.installed_at,
    updatedAt: row.updated_at,
    snapshot: JSON.parse(row.snapshot) as BundleSnapshot,
  };
}
