/**
 * Types of the seam between the RESTlet host and the rest of the emulator (docs/architecture.md,
 * "Emulator internal seam"). The directory types are emulator-core's (emulator/src/data/directoryTypes.ts).
 */
import type { AccountDirectory, AccountInfo, Employee, PermissionLevel, Role } from '../data/directoryTypes';

export type { AccountDirectory, AccountInfo, Employee, PermissionLevel, Role };

export interface Clock {
  now(): number;
}

export type RestletMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RestletCall {
  accountId: string;
  scriptId: string;
  deployId: string;
  method: RestletMethod;
  query: Record<string, string>;
  /** Raw request body (string or Buffer) or an already parsed JSON value; `undefined` when there is none. */
  body: unknown;
  contentType: string | undefined;
  user: { entityId: number; roleId: number };
}

export interface RestletResult {
  status: number;
  contentType: string;
  body: string;
  unitsUsed: number;
}

export interface HostLogEntry {
  accountId: string;
  scriptId: string;
  deploymentId: string;
  level: 'DEBUG' | 'AUDIT' | 'ERROR' | 'EMERGENCY' | 'SYSTEM';
  title: string;
  details: string;
}

export type HostLogger = (line: string, entry: HostLogEntry) => void;

export interface InstallResult {
  bundleId: string;
  action: 'install' | 'update';
  version: string;
  fromVersion?: string;
  role: { internalId: number; scriptId: string };
  customRecordTypes: string[];
  scripts: string[];
  unitsUsed: number;
}

export interface InstalledBundle {
  bundleId: string;
  installedAt: string;
}
