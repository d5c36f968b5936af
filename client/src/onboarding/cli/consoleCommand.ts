import type { Command } from 'commander';
import { ConfigurationError } from '../../errors';
import { DEFAULT_BUNDLE_ID } from '../settings';
import { isJson, out, parsePositiveInt, storeOption, storePathOf } from './common';
import { CLIENT_SECRET_ENV, openBrowser } from './onboardCommand';

interface ConsoleFlags {
  port: string;
  account?: string;
  clientId: string;
  clientSecret?: string;
  ccClientId?: string;
  bundleId: string;
  bundleInstallUrl?: string;
  baseUrl?: string;
  dangerouslyAllowInsecureHttp?: boolean;
  entity?: string;
  scopes: string;
  store?: string;
  open: boolean;
}

export function registerConsole(program: Command): void {
  storeOption(
    program
      .command('console')
      .description('Start the onboarding web console on 127.0.0.1 (the four steps as the customer sees them, tenant pages)')
      .requiredOption('--client-id <id>', 'client ID of the integration record used for consent')
      .option('--client-secret <secret>', `client secret of a confidential record (prefer env ${CLIENT_SECRET_ENV})`)
      .option('--cc-client-id <id>', 'client ID of a second record for client credentials (default: the same record)')
      .option('--account <id>', 'fixed NetSuite account ID (default: the connect page asks)')
      .option('--port <n>', 'port; the record\'s redirect URI must be http://127.0.0.1:<port>/callback', '3030')
      .option('--bundle-id <id>', 'bundle to install and verify', DEFAULT_BUNDLE_ID)
      .option('--bundle-install-url <url>', 'install link to show instead of the default')
      .option('--base-url <url>', 'send requests to this origin with NetSuite paths (emulator)')
      .option('--dangerously-allow-insecure-http', 'allow http:// for a loopback --base-url (local emulator only)')
      .option('--entity <id>', 'integration user (employee internal ID); default the consenting administrator')
      .option('--scopes <list>', 'comma-separated scopes', 'restlets,rest_webservices')
      .option('--no-open', 'do not open a browser'),
  ).action(async (flags: ConsoleFlags, cmd: Command) => {
    let startConsole: typeof import('../../console').startConsole;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      ({ startConsole } = require('../../console') as typeof import('../../console'));
    } catch (cause) {
      throw new ConfigurationError('INVALID_ARGUMENT', 'The web console is not available in this build.', { cause, remedy: 'Run `npm run build` and try again.' });
    }
    const secret = flags.clientSecret ?? process.env[CLIENT_SECRET_ENV];
    const running = await startConsole({
      port: Number(flags.port) === 0 ? 0 : parsePositiveInt(flags.port, '--port'),
      storePath: storePathOf(flags),
      onboarding: {
        authClientId: flags.clientId,
        ...(secret ? { authClientSecret: secret } : {}),
        ...(flags.ccClientId ? { ccClientId: flags.ccClientId } : {}),
        ...(flags.account ? { accountId: flags.account } : {}),
        bundleId: flags.bundleId,
        ...(flags.bundleInstallUrl ? { bundleInstallUrl: flags.bundleInstallUrl } : {}),
        ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
        ...(flags.dangerouslyAllowInsecureHttp ? { dangerouslyAllowInsecureHttp: true } : {}),
        ...(flags.entity ? { integrationEntity: parsePositiveInt(flags.entity, '--entity') } : {}),
        scopes: flags.scopes.split(',').map((s) => s.trim()).filter(Boolean),
      },
      log: (line) => process.stderr.write(`${line}\n`),
    });
    if (isJson(cmd)) out(JSON.stringify({ event: 'listening', url: running.url, redirectUri: running.redirectUri }));
    else out(`SuiteBridge console: ${running.url}  (redirect URI on the integration record: ${running.redirectUri}; Ctrl+C stops)`);
    if (flags.open) openBrowser(running.url);
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
