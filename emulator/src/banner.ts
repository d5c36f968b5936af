import type { AccountOrigins } from './hosts';

let bannerShown = false;

export const BANNER = 'SuiteBridge emulator — for development and testing only, never production';

/** Printed once per process, on stderr, unless quiet. */
export function printBanner(write: (text: string) => void = (t) => process.stderr.write(t)): void {
  if (bannerShown) return;
  bannerShown = true;
  const line = '!'.repeat(BANNER.length + 8);
  write(`\n${line}\n!!! ${BANNER} !!!\n${line}\n`);
}

/**
 * How to get a token with curl, on the account's own hosts (`<hostId>.app|suitetalk|restlets.localhost`, which curl
 * and browsers resolve to loopback); never contains a secret or password (those are in the seed file / endpoint).
 */
export function curlHints(baseUrl: string, origins: AccountOrigins | undefined, publicClientId: string | undefined, accountId: string | undefined): string {
  const lines = [
    `SuiteBridge emulator listening on ${baseUrl}`,
    `  Seed (accounts, hosts, client IDs, secrets, users, passwords): curl -s ${baseUrl}/__emulator/seed`,
  ];
  if (origins && accountId) {
    lines.push(`  Account ${accountId}: app ${origins.app}, suitetalk ${origins.suitetalk}, restlets ${origins.restlets}`);
  }
  if (origins && publicClientId && accountId) {
    const callback = 'https://127.0.0.1:8899/callback';
    lines.push(
      `  Get a token (authorization code + PKCE, public client of account ${accountId}, user admin@example.com):`,
      `    VERIFIER=$(openssl rand -hex 32); STATE=$(openssl rand -hex 16)`,
      `    CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')`,
      `    open: ${origins.app}/app/login/oauth2/authorize.nl?response_type=code&client_id=${publicClientId}&redirect_uri=${encodeURIComponent(callback)}&scope=restlets%20rest_webservices&state=$STATE&code_challenge=$CHALLENGE&code_challenge_method=S256`,
      `    log in (password from the seed), Allow, copy code= from the callback URL (the browser cannot load it; that is fine), then:`,
      `    curl -s ${origins.suitetalk}/services/rest/auth/oauth2/v1/token -d grant_type=authorization_code -d client_id=${publicClientId} -d code=<code> -d redirect_uri=${callback} -d code_verifier=$VERIFIER`,
      `  Curl-only walkthrough, refresh, revoke and client credentials (needs a certificate): docs/emulator.md`,
    );
  }
  return `${lines.join('\n')}\n`;
}
