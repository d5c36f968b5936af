import { readFile, stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { ClientCredentialsClient } from '../../clientCredentials';
import { loadAssertionKey } from '../../clientCredentialsKey';
import { ConfigurationError } from '../../errors';
import { printResult } from '../output';

interface TokenFlags {
  clientCredentials?: boolean;
  account: string;
  clientId: string;
  certificateId: string;
  privateKey: string;
  scope: string;
  tokenUrl?: string;
  baseUrl?: string;
  dangerouslyAllowInsecureHttp?: boolean;
  decode?: boolean;
  showAssertion?: boolean;
  subject?: boolean;
}

/** `suitebridge token`: "does my certificate work?" Mints a client-credentials token and prints it or its claims. */
export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description('Request an access token (client credentials) and print it, or its decoded claims with --decode')
    .option('--client-credentials', 'use the client credentials (M2M) grant with a certificate-signed assertion')
    .requiredOption('--account <id>', 'NetSuite account ID, e.g. 1234567 or 1234567_SB1')
    .requiredOption('--client-id <id>', 'client ID of the integration record')
    .requiredOption('--certificate-id <id>', 'Certificate ID from the M2M setup page (the kid; IDs starting with "-" work: --certificate-id=-abc)')
    .requiredOption('--private-key <file>', 'PEM private key file matching the uploaded certificate')
    .requiredOption('--scope <list>', 'comma-separated scopes, e.g. restlets,rest_webservices')
    .option('--token-url <url>', 'token endpoint to use instead of the account\'s (also the assertion audience)')
    .option('--base-url <url>', 'send requests to this origin with NetSuite paths (emulator, custom domain)')
    .option('--dangerously-allow-insecure-http', 'allow http:// for a loopback --base-url/--token-url (local emulator only)')
    .option('--decode', 'print the token\'s decoded header and payload instead of the token (never the signature)')
    .option('--show-assertion', 'also print the decoded client assertion (header and payload) on stderr, for debugging kid/aud/scope')
    .addOption(new Option('--subject', 'add `sub` (= client ID) to the assertion; off by default: NetSuite documents only `iss` and the emulator refuses `sub` unless its leniency is on'))
    .action(async (flags: TokenFlags, command: Command) => {
      const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
      await runToken(flags, json);
    });
}

async function runToken(flags: TokenFlags, json: boolean): Promise<void> {
  if (flags.clientCredentials !== true) {
    throw new ConfigurationError('INVALID_ARGUMENT', 'suitebridge token supports the client credentials grant only: pass --client-credentials.', {
      field: '--client-credentials',
      remedy: 'Authorization-code tokens need a browser sign-in; use the onboarding flow for those.',
    });
  }
  const scopes = parseScopes(flags.scope);
  const privateKey = await readPrivateKey(flags.privateKey);
  const client = new ClientCredentialsClient({
    accountId: flags.account,
    clientId: flags.clientId,
    certificateId: flags.certificateId,
    privateKey,
    scopes,
    includeSubject: flags.subject === true,
    ...(flags.tokenUrl !== undefined ? { tokenUrl: flags.tokenUrl } : {}),
    ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.dangerouslyAllowInsecureHttp ? { dangerouslyAllowInsecureHttp: true } : {}),
  });
  if (flags.showAssertion) {
    const assertion = await client.createAssertion();
    process.stderr.write(`client assertion sent to ${client.tokenUrl}:\n${JSON.stringify(decodeParts(assertion), null, 2)}\n`);
  }
  const tokens = await client.requestToken();
  const expiresAt = new Date(tokens.expiresAt).toISOString();
  if (flags.decode) {
    const decoded = decodeParts(tokens.accessToken);
    printResult(json, { ...decoded, expiresAt, scopes: tokens.scopes }, () => `${JSON.stringify(decoded, null, 2)}\nexpires at ${expiresAt}`);
    return;
  }
  printResult(json, { accessToken: tokens.accessToken, tokenType: tokens.tokenType, expiresAt, scopes: tokens.scopes }, () => tokens.accessToken);
}

/** Header and payload of a JWT; the signature is dropped. Opaque tokens are reported, not echoed. */
export function decodeParts(token: string): { header: unknown; payload: unknown } {
  try {
    return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
  } catch {
    throw new ConfigurationError('INVALID_ARGUMENT', 'The token endpoint returned a token that is not a JWT, so it cannot be decoded.', {
      field: '--decode',
      remedy: 'Run without --decode to print the token itself.',
    });
  }
}

export function parseScopes(list: string): string[] {
  const scopes = list.split(/[\s,]+/).filter((s) => s !== '');
  if (scopes.length === 0) {
    throw new ConfigurationError('INVALID_ARGUMENT', '--scope is empty.', { field: '--scope', remedy: 'Pass the scopes enabled on the integration record, e.g. --scope restlets or --scope restlets,rest_webservices.' });
  }
  return scopes;
}

async function readPrivateKey(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new ConfigurationError('INVALID_ARGUMENT', `Cannot read --private-key ${path}${code ? ` (${code})` : ''}.`, {
      field: '--private-key',
      remedy: 'Pass the path of the PEM key written by `suitebridge cert new` (the *.key.pem file).',
    });
  }
  await warnIfShared(path);
  await checkIsPrivateKey(text, path);
  return text;
}

/** The library names its option `privateKey`; on the command line the fault is the file given to --private-key. */
async function checkIsPrivateKey(text: string, path: string): Promise<void> {
  try {
    await loadAssertionKey(text);
  } catch (err) {
    if (!(err instanceof ConfigurationError) || err.field !== 'privateKey') throw err;
    throw new ConfigurationError('INVALID_ARGUMENT', `--private-key ${path}${err.message.replace(/^privateKey/, '')}`, {
      field: '--private-key',
      remedy: 'Pass the *.key.pem file written by `suitebridge cert new` (not the certificate).',
    });
  }
}

async function warnIfShared(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    process.stderr.write(`warning: ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it.\n`);
  }
}
