/**
 * Runs the RESTlets of the bundles installed in an account, the way NetSuite's restlet.nl does: resolve the
 * script and deployment, check status and audience, run the entry point under governance, and answer with
 * NetSuite's status codes and `{"error" : {"code", "message"}}` bodies.
 */
import * as path from 'node:path';
import { redact } from '../../../client/src/redact';
import { BundleRegistry, type InstalledDeployment, type InstalledScript } from './bundleRegistry';
import type { ExecutionContextType } from './context';
import { UsageLimitExceededError } from './errors';
import { describeThrown, prepareExecution, type Execution } from './execution';
import { featuresOf, type FeatureConfig } from './features';
import { USAGE_LIMITS } from './governance';
import { roleReferenceMatches } from './permissions';
import { readRequest, responseBody, restletErrorBody, type RestletFailure } from './restletBody';
import { loadSdfProject, resolveProjectRoot, type SdfProject } from './sdfProject';
import type { AccountDirectory, Clock, HostLogEntry, HostLogger, RestletCall, RestletResult, Role } from './types';

export interface RestletHostOptions {
  projectDir: string;
  directory: AccountDirectory;
  clock?: Clock;
  log?: HostLogger;
  /** Enabled features per account; default SERVERSIDESCRIPTING, CUSTOMRECORDS, OAUTH2, RESTWEBSERVICES. */
  features?: FeatureConfig;
  /** `runtime.version`. */
  version?: string;
  /** Wall-clock limit of one script execution (emulator safety net; NetSuite's RESTlet limit is 5 minutes). */
  timeoutMs?: number;
  /** How a caller outside the deployment's audience is refused. UNCERTAIN: NetSuite's exact code is unverified. */
  audienceRefusal?: RestletFailure;
}

const INVALID_SCRIPTLET: RestletFailure = {
  status: 400,
  code: 'SSS_INVALID_SCRIPTLET_ID',
  message: 'That Suitelet is invalid, disabled, or no longer exists.',
};

export const DEFAULT_AUDIENCE_REFUSAL: RestletFailure = {
  status: 403,
  code: 'INSUFFICIENT_PERMISSION',
  message: 'Your role does not have access to this script deployment. Add the role to the deployment audience.',
};

interface ResolvedScript {
  script: InstalledScript;
  deployment: InstalledDeployment;
}

export interface ScriptRun {
  accountId: string;
  scriptId: string;
  deploymentId: string;
  logLevel: string;
  scriptFile: string;
  entityId: number;
  role: Role;
  usageLimit: number;
  executionContext: ExecutionContextType;
}

export class RestletHost {
  readonly registry: BundleRegistry;
  readonly directory: AccountDirectory;
  readonly clock: Clock;
  readonly projectDir: string;
  private readonly options: RestletHostOptions;
  private readonly logEntries: HostLogEntry[] = [];

  constructor(options: RestletHostOptions) {
    this.options = options;
    this.directory = options.directory;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.projectDir = options.projectDir;
    this.registry = new BundleRegistry((accountId) => options.directory.db(accountId));
  }

  /** The SDF project as it is on disk now. */
  project(): SdfProject {
    return loadSdfProject(this.projectDir);
  }

  /** Recent script log entries (N/log and host errors), newest last; at most 1,000 are kept. */
  logs(accountId?: string): HostLogEntry[] {
    return this.logEntries.filter((e) => accountId === undefined || e.accountId === accountId);
  }

  async handle(call: RestletCall): Promise<RestletResult> {
    const request = readRequest(call);
    if ('status' in request) return failure(request);
    const account = this.directory.account(call.accountId);
    const resolved = account ? this.resolve(call.accountId, call.scriptId, call.deployId) : undefined;
    if (!account || !resolved) return failure(INVALID_SCRIPTLET);
    const role = this.directory.getRole(call.accountId, call.user.roleId);
    if (!role || !inAudience(resolved.deployment, role)) {
      return failure(this.options.audienceRefusal ?? DEFAULT_AUDIENCE_REFUSAL);
    }
    const { entryName, mediaType, argument } = request;

    const run: ScriptRun = {
      accountId: call.accountId,
      scriptId: resolved.script.scriptId,
      deploymentId: resolved.deployment.scriptId,
      logLevel: resolved.deployment.logLevel,
      scriptFile: resolved.script.scriptFile,
      entityId: call.user.entityId,
      role,
      usageLimit: USAGE_LIMITS.RESTLET,
      executionContext: 'RESTLET',
    };
    const outcome = await this.runEntryPoint(run, entryName, [argument]);
    if (outcome.kind === 'missing-entry') {
      return failure(
        { status: 405, code: 'METHOD_NOT_ALLOWED', message: `The script ${run.scriptId} has no ${entryName} entry point.` },
        outcome.unitsUsed,
      );
    }
    if (outcome.kind === 'error') return failure({ status: 400, code: outcome.code, message: outcome.message }, outcome.unitsUsed);
    return {
      status: 200,
      contentType: mediaType === 'text' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      body: responseBody(outcome.value),
      unitsUsed: outcome.unitsUsed,
    };
  }

  /**
   * Loads a script file and calls one entry point under governance. Used for RESTlets and, by the bundle
   * installer, for installation hooks. A usage-limit overrun ends the script even if the script caught it.
   */
  async runEntryPoint(run: ScriptRun, entryName: string, args: unknown[]): Promise<EntryOutcome> {
    let execution: Execution | undefined;
    try {
      execution = this.prepare(run);
      const ran = execution.sandbox.runEntry(run.scriptFile, entryName, args);
      if (ran.missing) return { kind: 'missing-entry', unitsUsed: execution.ctx.meter.unitsUsed };
      let value = ran.value;
      if (isThenable(value)) value = await value;
      if (execution.ctx.meter.exceeded) throw new UsageLimitExceededError(run.usageLimit);
      return { kind: 'value', value, unitsUsed: execution.ctx.meter.unitsUsed };
    } catch (thrown) {
      const exceeded = execution?.ctx.meter.exceeded === true;
      const { code, message } = describeThrown(exceeded ? new UsageLimitExceededError(run.usageLimit) : thrown);
      this.record({ accountId: run.accountId, scriptId: run.scriptId, deploymentId: run.deploymentId, level: 'SYSTEM', title: code, details: message });
      return { kind: 'error', code, message, unitsUsed: execution?.ctx.meter.unitsUsed ?? 0 };
    }
  }

  private prepare(run: ScriptRun): Execution {
    const account = this.directory.account(run.accountId);
    if (!account) throw new Error(`Account ${run.accountId} does not exist in the emulator.`);
    const roleCenter = this.registry
      .installedRoles(run.accountId)
      .find((r) => r.scriptId.toLowerCase() === run.role.scriptId.toLowerCase())?.centerType;
    return prepareExecution({
      accountId: run.accountId,
      account,
      directory: this.directory,
      registry: this.registry,
      fileCabinetRoot: path.join(resolveProjectRoot(this.projectDir), 'FileCabinet'),
      scriptId: run.scriptId,
      deploymentId: run.deploymentId,
      logLevel: run.logLevel,
      entityId: run.entityId,
      role: run.role,
      roleCenter: roleCenter ?? 'BASIC',
      usageLimit: run.usageLimit,
      executionContext: run.executionContext,
      features: featuresOf(this.options.features, run.accountId),
      clock: this.clock,
      timeoutMs: this.options.timeoutMs ?? 30_000,
      version: this.options.version ?? '2026.2',
      log: (entry) => this.record(entry),
    });
  }

  private resolve(accountId: string, scriptId: string, deployId: string): ResolvedScript | undefined {
    const found = this.registry.findScript(accountId, scriptId);
    if (!found || found.script.kind !== 'restlet' || found.script.isInactive) return undefined;
    const wanted = deployId.trim().toLowerCase();
    const deployment = found.script.deployments.find(
      (d) => d.scriptId.toLowerCase() === wanted || String(d.internalId) === wanted,
    );
    // Only the owner may call a TESTING deployment; external callers are never the owner here.
    if (!deployment || !deployment.isDeployed || deployment.status !== 'RELEASED') return undefined;
    return { script: found.script, deployment };
  }

  /** A host-side notice in the log (level SYSTEM), e.g. from the bundle installer. */
  note(accountId: string, scriptId: string, message: string): void {
    this.record({ accountId, scriptId, deploymentId: '', level: 'SYSTEM', title: 'emulator', details: message });
  }

  private record(entry: HostLogEntry): void {
    const safe = { ...entry, title: redact(entry.title), details: redact(entry.details) };
    this.logEntries.push(safe);
    if (this.logEntries.length > 1000) this.logEntries.shift();
    const line = `[restlet ${safe.accountId} ${safe.scriptId}] ${safe.level} ${safe.title}${safe.details ? `: ${safe.details}` : ''}`;
    this.options.log?.(line, safe);
  }
}

export type EntryOutcome =
  | { kind: 'value'; value: unknown; unitsUsed: number }
  | { kind: 'missing-entry'; unitsUsed: number }
  | { kind: 'error'; code: string; message: string; unitsUsed: number };

function inAudience(deployment: InstalledDeployment, role: Role): boolean {
  if (deployment.allRoles) return true;
  return deployment.audience.some((reference) => roleReferenceMatches(reference, role));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

function failure(f: RestletFailure, unitsUsed = 0): RestletResult {
  return { status: f.status, contentType: 'application/json; charset=utf-8', body: restletErrorBody(f.code, f.message), unitsUsed };
}
