import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { requireInstalled } from '../../cli/optionalPackages';
import { ConfigurationError } from '../../errors';
import { DEFAULT_BUNDLE_ID, RECOMMENDED_REFRESH_VALIDITY_HOURS, SINGLE_RECORD_HELP } from '../settings';
import { isJson, out, parseBoundedInt, parsePositiveInt, storeOption, storePathOf } from './common';
import { openBrowser } from './onboardCommand';
import { clientSecretOf, CLIENT_SECRET_ENV, CLIENT_SECRET_HELP } from './common';

export const CONSOLE_PASSWORD_ENV = 'SUITEBRIDGE_CONSOLE_PASSWORD';

interface ConsoleFlags {
  port: string;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  clientSecretFile?: string;
  ccClientId?: string;
  singleRecord?: boolean;
  refreshTokenValidityHours: string;
  passwordFile?: string;
  hashPassword?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  publicUrl?: string;
  behindTlsProxy?: boolean;
  bundleId: string;
  bundleInstallUrl?: string;
  baseUrl?: string;
  dangerouslyAllowInsecureHttp?: boolean;
  entity?: string;
  scopes: string;
  store?: string;
  open: boolean;
}

function readFlagFile(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigurationError('INVALID_ARGUMENT', `${flag}: cannot read ${path}.`, { field: flag, cause, remedy: `Check the path given to ${flag} and that this user may read it.` });
  }
}

/** The operator credential from --password-file (a password or an scrypt hash line) or the environment; never a flag value. */
function operatorCredential(flags: ConsoleFlags): { password?: string; passwordHash?: string } {
  if (flags.passwordFile) {
    const content = readFlagFile(flags.passwordFile, '--password-file').replace(/\r?\n$/, '');
    return content.startsWith('scrypt$') ? { passwordHash: content } : { password: content };
  }
  const fromEnv = process.env[CONSOLE_PASSWORD_ENV];
  return fromEnv !== undefined ? (fromEnv.startsWith('scrypt$') ? { passwordHash: fromEnv } : { password: fromEnv }) : {};
}

/**
 * The tenant pages show the SuiteBridge service's connection statuses and webhook deliveries, and run its repair, from
 * the same store. Without the service's optional packages installed they show the onboarding records only.
 */
function serviceFleet(): import('../../console').ConsoleOptions['fleet'] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ServiceConsoleFleet } = require('../../../../service/src/consoleFleet') as typeof import('../../../../service/src/consoleFleet');
    return ({ store, clock, fetch }) => new ServiceConsoleFleet({ store, now: () => clock.now(), ...(fetch ? { fetch } : {}) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function registerConsole(program: Command): void {
  storeOption(
    program
      .command('console')
      .description('Start the web console over https: operators sign in to manage tenants and create onboarding links; a customer\'s administrator onboards through their link')
      .option('--client-id <id>', 'client ID of the public integration record the administrator consents to (its redirect URI: <console URL>/callback)')
      .option('--cc-client-id <id>', 'client ID of the confidential integration record with Client Credentials (Machine to Machine) Grant')
      .option('--single-record', `one integration record for both grants instead of two. ${SINGLE_RECORD_HELP}`)
      .option('--client-secret <secret>', `${CLIENT_SECRET_HELP} (confidential consent record, --single-record)`)
      .option('--client-secret-file <path>', `read the client secret from this file (one line; or set env ${CLIENT_SECRET_ENV})`)
      .option('--refresh-token-validity-hours <n>', '"Refresh Token Validity (in hours)" of the public record, 1-720', String(RECOMMENDED_REFRESH_VALIDITY_HOURS))
      .option('--password-file <path>', `file holding the operator password or its hash (from --hash-password); or set env ${CONSOLE_PASSWORD_ENV}`)
      .option('--hash-password', 'read a new operator password from standard input, print its scrypt hash for --password-file, and exit')
      .option('--port <n>', 'port; the public record\'s redirect URI must be https://127.0.0.1:<port>/callback', '3030')
      .option('--host <address>', 'interface to listen on (default 127.0.0.1; another one only with --tls-cert/--tls-key)')
      .option('--tls-cert <file>', 'serve with this certificate (PEM) instead of a throwaway self-signed one')
      .option('--tls-key <file>', 'private key (PEM) of --tls-cert')
      .option('--public-url <url>', 'https URL browsers use, if not https://127.0.0.1:<port> (your certificate\'s host name, or the TLS proxy)')
      .option('--behind-tls-proxy', 'serve plain http on loopback for a TLS-terminating reverse proxy at --public-url (it must pass the Host header)')
      .option('--bundle-id <id>', 'bundle to install and verify', DEFAULT_BUNDLE_ID)
      .option('--bundle-install-url <url>', 'install link to show instead of the default')
      .option('--base-url <url>', 'send requests to this origin with NetSuite paths (emulator)')
      .option('--dangerously-allow-insecure-http', 'allow http:// for a loopback --base-url (local emulator only)')
      .option('--entity <id>', 'integration user (employee internal ID); default the consenting administrator')
      .option('--scopes <list>', 'comma-separated scopes', 'restlets,rest_webservices')
      .option('--no-open', 'do not open a browser'),
  ).action(async (flags: ConsoleFlags, cmd: Command) => {
    let consoleModule: typeof import('../../console');
    requireInstalled('suitebridge console', ['fastify']);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      consoleModule = require('../../console') as typeof import('../../console');
    } catch (cause) {
      throw new ConfigurationError('INVALID_ARGUMENT', 'The web console is not available in this build.', { cause, remedy: 'Run `npm run build` and try again.' });
    }
    if (flags.hashPassword) {
      out(await consoleModule.hashOperatorPassword(await readStdin()));
      return;
    }
    if (!flags.clientId) {
      throw new ConfigurationError('INVALID_ARGUMENT', 'The console needs --client-id, the public integration record the administrator consents to.', {
        field: '--client-id',
        remedy: 'Pass --client-id with the Client ID shown when the integration record was saved.',
      });
    }
    if (Boolean(flags.tlsCert) !== Boolean(flags.tlsKey)) {
      throw new ConfigurationError('INVALID_ARGUMENT', '--tls-cert and --tls-key go together.', { field: flags.tlsCert ? '--tls-key' : '--tls-cert', remedy: 'Pass both the certificate and its private key, or neither for a throwaway certificate.' });
    }
    const secret = clientSecretOf(flags);
    const running = await consoleModule.startConsole({
      port: Number(flags.port) === 0 ? 0 : parsePositiveInt(flags.port, '--port'),
      ...(flags.host ? { host: flags.host } : {}),
      storePath: storePathOf(flags),
      fleet: serviceFleet(),
      operator: operatorCredential(flags),
      ...(flags.tlsCert && flags.tlsKey ? { https: { cert: readFlagFile(flags.tlsCert, '--tls-cert'), key: readFlagFile(flags.tlsKey, '--tls-key') } } : {}),
      ...(flags.publicUrl ? { publicUrl: flags.publicUrl } : {}),
      ...(flags.behindTlsProxy ? { behindTlsProxy: true } : {}),
      onboarding: {
        authClientId: flags.clientId,
        ...(secret ? { authClientSecret: secret } : {}),
        ...(flags.ccClientId ? { ccClientId: flags.ccClientId } : {}),
        ...(flags.singleRecord ? { singleRecord: true } : {}),
        refreshTokenValidityHours: parseBoundedInt(flags.refreshTokenValidityHours, '--refresh-token-validity-hours', 1, 720, 'hours'),
        bundleId: flags.bundleId,
        ...(flags.bundleInstallUrl ? { bundleInstallUrl: flags.bundleInstallUrl } : {}),
        ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
        ...(flags.dangerouslyAllowInsecureHttp ? { dangerouslyAllowInsecureHttp: true } : {}),
        ...(flags.entity ? { integrationEntity: parsePositiveInt(flags.entity, '--entity') } : {}),
        scopes: flags.scopes.split(',').map((s) => s.trim()).filter(Boolean),
      },
      log: (line) => process.stderr.write(`${line}\n`),
    });
    if (isJson(cmd)) {
      out(JSON.stringify({ event: 'listening', url: running.url, redirectUri: running.redirectUri, tls: running.tls, ...(running.certificateFingerprint ? { certificateSha256: running.certificateFingerprint } : {}) }));
    } else {
      out(`SuiteBridge console: ${running.url}  (sign in at ${running.url}/login; Ctrl+C stops)`);
      out(`Redirect URI on the public integration record: ${running.redirectUri}`);
      if (running.certificateFingerprint) {
        out(`Throwaway certificate made for this run; the browser warns once. Its SHA-256 fingerprint: ${running.certificateFingerprint}`);
      }
    }
    if (flags.open) openBrowser(`${running.url}/login`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await running.stop();
  });
}
