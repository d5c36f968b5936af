let bannerShown = false;

export const BANNER = 'SuiteBridge emulator — for development and testing only, never production';

/** Printed once per process, on stderr, unless quiet. */
export function printBanner(write: (text: string) => void = (t) => process.stderr.write(t)): void {
  if (bannerShown) return;
  bannerShown = true;
  const line = '!'.repeat(BANNER.length + 8);
  write(`\n${line}\n!!! ${BANNER} !!!\n${line}\n`);
}

/** How to get a token with curl; never contains a secret or password (those are in the seed file / endpoint). */
export function curlHints(baseUrl: string, publicClientId: string | undefined, accountId: string | undefined): string {
  const lines = [
    `SuiteBridge emulator listening on ${baseUrl}`,
    `  Seed (accounts, client IDs, secrets, users, passwords): curl -s ${baseUrl}/__emulator/seed`,
  ];
  if (publicClientId && accountId) {
    lines.push(
      `  Authorization code + PKCE (public client of account ${accountId}): open in a browser`,
      `    ${baseUrl}/app/login/oauth2/authorize.nl?response_type=code&client_id=${publicClientId}&redirect_uri=http%3A%2F%2F127.0.0.1%3A8899%2Fcallback&scope=restlets+rest_webservices&state=<22+ chars>&code_challenge=<S256 challenge>&code_challenge_method=S256`,
      `    then: curl -s -X POST ${baseUrl}/services/rest/auth/oauth2/v1/token -d grant_type=authorization_code -d client_id=${publicClientId} -d code=<code> -d redirect_uri=http://127.0.0.1:8899/callback -d code_verifier=<verifier>`,
      `  Full walkthrough (also client credentials with a certificate): docs/emulator.md`,
    );
  }
  return `${lines.join('\n')}\n`;
}
