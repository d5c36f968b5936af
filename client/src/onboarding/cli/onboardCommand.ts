import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Option, type Command } from 'commander';
import { ExitCode } from '../../cli/exitCodes';
import { ConfigurationError } from '../../errors';
import { isServableRedirectUri, startCallbackServer, type CallbackServer } from '../callbackServer';
import type { OnboardingOrchestrator } from '../orchestrator';
import { ProgressPrinter } from '../progress';
import { checkKnownScopes, probeAccountHosts } from '../preflight';
import { DEFAULT_REDIRECT_URI, DEFAULT_BUNDLE_ID, RECOMMENDED_REFRESH_VALIDITY_HOURS, resolveSettings } from '../settings';
import { STEP_IDS, type KeyType, type TenantSettings } from '../types';
import type { TenantView } from '../view';
import { exitCodeForStepError, isJson, out, parseBoundedInt, parsePositiveInt, quietOnClosedStdout, storeOption, withOrchestratorCreatingStore, clientSecretOf, CLIENT_SECRET_ENV, CLIENT_SECRET_HELP } from './common';

interface OnboardFlags {
  account: string;
  clientId: string;
  clientSecret?: string;
  clientSecretFile?: string;
  ccClientId?: string;
  redirectUri: string;
  bundleId: string;
  bundleInstallUrl?: string;
  baseUrl?: string;
  dangerouslyAllowInsecureHttp?: boolean;
  store?: string;
  tenant?: string;
  entity?: string;
  scopes: string;
  keyType: string;
  open: boolean;
  wait: boolean;
  restart?: boolean;
  callbackUrl?: string;
  pollSeconds: string;
  timeoutMinutes: string;
  singleRecord?: boolean;
  refreshTokenValidityHours: string;
}

/** Bounds of the waiting flags (see parseBoundedInt). */
export const POLL_SECONDS = { min: 1, max: 3600 } as const;
export const TIMEOUT_MINUTES = { min: 1, max: 1440 } as const;

export { CLIENT_SECRET_ENV } from './common';

export function registerOnboard(program: Command): void {
  const command = program
    .command('onboard')
    .description('Onboard a NetSuite account: consent (auth code + PKCE), bundle check, certificate for M2M, post-install. Resumable: run it again to continue.')
    .requiredOption('--account <id>', 'NetSuite account ID, e.g. 1234567 or 1234567_SB1')
    .requiredOption('--client-id <id>', 'client ID of the public integration record (Authorization Code Grant, Public Client) the administrator consents to')
    .option('--cc-client-id <id>', 'client ID of the confidential integration record with Client Credentials (Machine to Machine) Grant; the certificate is uploaded for it and M2M tokens are minted with it (required unless --single-record)')
    .option(
      '--single-record',
      'use ONE integration record for both grants instead of two. Oracle does not support client credentials on a public client, so that record must be confidential (Public Client unchecked) with Authorization Code Grant and Client Credentials (M2M) Grant, and its client secret is required',
    )
    .option('--client-secret <secret>', `${CLIENT_SECRET_HELP} (confidential auth-code record, --single-record)`)
    .option('--client-secret-file <path>', `read the client secret from this file (one line; or set env ${CLIENT_SECRET_ENV})`)
    .option('--redirect-uri <uri>', `https redirect URI registered on the public record; a loopback one (default) is served by this command over HTTPS with a throwaway certificate`, DEFAULT_REDIRECT_URI)
    .option('--refresh-token-validity-hours <n>', '"Refresh Token Validity (in hours)" of the public record, 1-720 (only used to tell you how long a refresh token left by an interrupted run lives)', String(RECOMMENDED_REFRESH_VALIDITY_HOURS))
    .option('--bundle-id <id>', 'bundle to install and verify', DEFAULT_BUNDLE_ID)
    .option('--bundle-install-url <url>', 'install link to show instead of the default')
    .option('--base-url <url>', 'send requests to this origin with NetSuite paths (emulator)')
    .option('--dangerously-allow-insecure-http', 'allow http:// for a loopback --base-url (local emulator only)')
    .option('--tenant <name>', 'name of the tenant record (default: the account ID)')
    .option('--entity <id>', 'internal ID of the employee who becomes the integration user (default: the consenting administrator)')
    .option('--scopes <list>', 'comma-separated scopes', 'restlets,rest_webservices')
    .option('--key-type <type>', 'RSA-3072 | RSA-4096 | EC-P256 | EC-P384 | EC-P521', 'EC-P256')
    .option('--no-open', 'do not try to open a browser')
    .option('--no-wait', 'exit (code 6) instead of waiting when the bundle is not installed yet; run again to resume')
    .option('--restart', 'discard an unfinished record of this tenant and start over')
    .option('--callback-url <url>', 'feed the URL the browser was redirected to (when the redirect URI is not a loopback address)')
    .addOption(new Option('--poll-seconds <n>', `without a terminal: how often to re-run the bundle check (${POLL_SECONDS.min}-${POLL_SECONDS.max})`).default('15'))
    .addOption(new Option('--timeout-minutes <n>', `give up waiting for consent or the bundle after this long (${TIMEOUT_MINUTES.min}-${TIMEOUT_MINUTES.max})`).default('30'));
  storeOption(command).action(async (flags: OnboardFlags, cmd: Command) => {
    quietOnClosedStdout();
    process.exitCode = await runOnboard(flags, isJson(cmd));
  });
}

function settingsFrom(flags: OnboardFlags): TenantSettings {
  const secret = clientSecretOf(flags);
  const s: TenantSettings = {
    accountId: flags.account,
    authClient: { clientId: flags.clientId, ...(secret ? { clientSecret: secret } : {}) },
    redirectUri: flags.redirectUri,
    bundleId: flags.bundleId,
    scopes: flags.scopes.split(',').map((x) => x.trim()).filter(Boolean),
    keyType: flags.keyType as KeyType,
  };
  if (!['RSA-3072', 'RSA-4096', 'EC-P256', 'EC-P384', 'EC-P521'].includes(flags.keyType)) {
    throw new ConfigurationError('INVALID_ARGUMENT', `Unknown --key-type ${flags.keyType}.`, { field: '--key-type', remedy: 'Use RSA-3072, RSA-4096, EC-P256, EC-P384 or EC-P521.' });
  }
  if (flags.ccClientId) s.ccClient = { clientId: flags.ccClientId };
  if (flags.singleRecord) s.singleRecord = true;
  s.refreshTokenValidityHours = parseBoundedInt(flags.refreshTokenValidityHours, '--refresh-token-validity-hours', 1, 720, 'hours');
  if (flags.tenant) s.tenant = flags.tenant;
  if (flags.entity) s.integrationEntity = parsePositiveInt(flags.entity, '--entity');
  if (flags.bundleInstallUrl) s.bundleInstallUrl = flags.bundleInstallUrl;
  if (flags.baseUrl) s.baseUrl = flags.baseUrl;
  if (flags.dangerouslyAllowInsecureHttp) s.dangerouslyAllowInsecureHttp = true;
  return s;
}

/** Best effort: xdg-open / open / start. Never in CI, never with --no-open. */
export function openBrowser(url: string): boolean {
  if (process.env.CI) return false;
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  try {
    const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/** Resolves undefined when `ms` passes first. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function waitForEnter(prompt: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      resolve(answer.trim().toLowerCase() !== 'q');
    });
  });
}

async function awaitCallback(orchestrator: OnboardingOrchestrator, view: TenantView, flags: OnboardFlags, printer: ProgressPrinter, server: CallbackServer | undefined, timeoutMs: number): Promise<TenantView> {
  const url = await orchestrator.authorizationUrl(view.tenant);
  if (flags.open && openBrowser(url)) printer.note('    (opened in your browser)');
  if (!server) {
    printer.note('    The redirect URI is not a loopback https:// address, so this command cannot receive the callback.');
    printer.note('    After consenting, copy the address the browser lands on and run the same command with --callback-url "<that URL>".');
    return view;
  }
  // Only the redirect of this authorization (its state) ends the wait; stray visits are answered and ignored.
  const state = new URL(url).searchParams.get('state') ?? undefined;
  const callback = await withTimeout(server.next(state), timeoutMs);
  if (callback === undefined) return view;
  return orchestrator.submitCallback(callback, view.tenant);
}

async function awaitBundle(orchestrator: OnboardingOrchestrator, view: TenantView, flags: OnboardFlags, printer: ProgressPrinter, pollMs: number): Promise<TenantView> {
  if (process.stdin.isTTY && process.stderr.isTTY) {
    const again = await waitForEnter('    Press Enter when the bundle is installed to check again (q to stop): ');
    if (!again) return view;
  } else {
    printer.note(`    Checking again in ${Math.round(pollMs / 1000)} s.`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return orchestrator.recheckBundle(view.tenant);
}

/** The https loopback callback server, or undefined when the redirect URI is not one this CLI can listen on. */
async function listenForCallback(orchestrator: OnboardingOrchestrator, redirectUri: string, printer: ProgressPrinter, json: boolean): Promise<CallbackServer | undefined> {
  if (!isServableRedirectUri(redirectUri)) return undefined;
  const server = await startCallbackServer(redirectUri);
  // Set while the URL is announced (same tick), so even the quickest stray visit finds the awaited state known.
  orchestrator.on((event) => {
    if (event.type === 'waiting' && event.reason === 'authorization') {
      const state = new URL(event.authorizationUrl).searchParams.get('state');
      if (state) server.expectState(state);
    }
  });
  if (json) {
    // The certificate is public (the browser sees it); automation can pin it instead of disabling TLS checks.
    out(JSON.stringify({ event: 'callback-server', redirectUri: server.redirectUri, certificateSha256: server.certificate.sha256Fingerprint, certificatePem: server.certificate.pem }));
  } else {
    printer.note(`Callback: ${server.redirectUri} (this exact redirect URI must be registered on the public integration record).`);
    printer.note(`    Served over HTTPS with a throwaway self-signed certificate made for this run, SHA-256 ${server.certificate.sha256Fingerprint}.`);
    printer.note('    After you allow access, the browser warns that this local certificate is not trusted: check the fingerprint and continue; nothing is installed on your system.');
  }
  return server;
}

/** --callback-url must be a URL; it carries an authorization code, so it is never echoed. */
function checkCallbackUrlFlag(value: string): void {
  try {
    new URL(value);
  } catch {
    throw new ConfigurationError('INVALID_ARGUMENT', '--callback-url is not a URL.', { field: '--callback-url', remedy: 'Paste the whole address the browser landed on after consenting, in quotes.' });
  }
}

export async function runOnboard(flags: OnboardFlags, json: boolean): Promise<ExitCode> {
  // Every flag is checked before the store is opened or any request is sent: a bad one exits 2 having done nothing.
  const settings = settingsFrom(flags);
  const pollMs = parseBoundedInt(flags.pollSeconds, '--poll-seconds', POLL_SECONDS.min, POLL_SECONDS.max, 'seconds') * 1000;
  const timeoutMs = parseBoundedInt(flags.timeoutMinutes, '--timeout-minutes', TIMEOUT_MINUTES.min, TIMEOUT_MINUTES.max, 'minutes') * 60_000;
  resolveSettings(settings);
  if (flags.callbackUrl !== undefined) checkCallbackUrlFlag(flags.callbackUrl);
  // Fail fast, before the store is touched and before anyone is asked to consent.
  checkKnownScopes(settings.scopes ?? []);
  await probeAccountHosts(settings.accountId, { ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}), ...(settings.dangerouslyAllowInsecureHttp ? { dangerouslyAllowInsecureHttp: true } : {}) });
  const printer = new ProgressPrinter(ProgressPrinter.modeFor({ json, stream: process.stdout }), { write: (t) => process.stdout.write(t) });
  return withOrchestratorCreatingStore(flags, async (orchestrator) => {
    orchestrator.on(printer.handle);
    let server: CallbackServer | undefined;
    try {
      let view = await orchestrator.begin(settings, { restart: flags.restart === true });
      printer.note(
        `Tenant ${view.tenant}: account ${view.accountId}, ${view.settings.sameRecord ? 'one confidential integration record for both grants (--single-record)' : `consent record ${view.settings.authClientId.slice(0, 8)}…, client-credentials record ${view.settings.ccClientId.slice(0, 8)}…`}.`,
      );
      if (flags.callbackUrl) {
        view = await orchestrator.submitCallback(flags.callbackUrl, view.tenant);
      } else {
        // Listen before the authorization URL is announced, or a fast browser could reach a closed port.
        if (view.steps.authorize.status !== 'done') server = await listenForCallback(orchestrator, view.settings.redirectUri, printer, json);
        view = await orchestrator.advance(view.tenant);
      }
      const deadline = Date.now() + timeoutMs;
      while (view.status === 'waiting_for_authorization' || view.status === 'waiting_for_bundle') {
        if (Date.now() > deadline) break;
        if (view.status === 'waiting_for_authorization') {
          server ??= await listenForCallback(orchestrator, view.settings.redirectUri, printer, json);
          const next = await awaitCallback(orchestrator, view, flags, printer, server, deadline - Date.now());
          if (next === view) break;
          view = next;
        } else {
          if (!flags.wait) break;
          const next = await awaitBundle(orchestrator, view, flags, printer, pollMs);
          if (next === view) break;
          view = next;
        }
      }
      printer.stop();
      return finish(view, json, printer);
    } finally {
      printer.stop();
      await server?.close();
    }
  });
}

function finish(view: TenantView, json: boolean, printer: ProgressPrinter): ExitCode {
  const leftovers = (view.leftoverAuthorizations ?? []).filter((l) => Date.parse(l.liveUntil) > Date.now());
  if (json) {
    out(JSON.stringify({ event: 'result', tenant: view.tenant, status: view.status, steps: view.steps, certificateId: view.certificate?.certificateId, ...(leftovers.length ? { leftoverAuthorizations: leftovers } : {}) }));
  } else {
    // Repeated at the end so it is not lost in the progress lines: it needs an administrator's action.
    for (const leftover of leftovers) printer.note(`Warning: ${leftover.notice}`);
  }
  if (view.status === 'completed') {
    if (!json) {
      printer.note(`Certificate ${view.certificate?.certificateId ?? '?'} (entity ${view.certificate?.entity ?? '?'}, role ${view.certificate?.role ?? '?'}) valid until ${view.certificate?.notAfter.slice(0, 10) ?? '?'}.`);
      printer.note(`Try: suitebridge restlet get --tenant ${view.tenant} --script customscript_sbr_rl_health --deploy customdeploy_sbr_rl_health`);
    }
    return ExitCode.OK;
  }
  const failed = STEP_IDS.find((s) => view.steps[s].status === 'failed');
  if (failed) return exitCodeForStepError(view.steps[failed].error);
  if (!json) printer.note(`Stopped while ${view.status.replace(/_/g, ' ')}. Run the same command again to continue.`);
  return ExitCode.CHECK_FAILED;
}
