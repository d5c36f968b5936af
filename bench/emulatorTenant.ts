import type { SeedInfo } from '../emulator/src/index';
import { resolveEndpoints, type NetSuiteEndpoints } from '../client/src/account';
import { AuthorizationCodeClient } from '../client/src/authcode';
import { CertificateApi } from '../client/src/certificates/api';
import { generateCertificate } from '../client/src/certificates/generate';
import { NetSuiteHttp } from '../client/src/http/netsuiteHttp';
import { defaultFetch } from '../client/src/http/transport';
import { staticTokenProvider } from '../client/src/resources/accessTokenProviders';
import type { TokenSet } from '../client/src/tokens/types';

/** Everything a benchmark needs to call one emulated account with the client credentials grant. */
export interface BenchTenant {
  accountId: string;
  endpoints: NetSuiteEndpoints;
  clientId: string;
  certificateId: string;
  privateKeyPem: string;
}

const ADMIN_ROLE = 3;
const ADMIN_ENTITY = 7;
const REDIRECT_URI = 'https://127.0.0.1:8899/callback'; // NetSuite refuses http:// redirect URIs

/**
 * Sets an emulated account up the way an administrator would: install the bundle, sign in through the
 * authorization code flow (public client), and upload a fresh certificate for the confidential client.
 */
export async function prepareTenant(emu: { url: string; seed: SeedInfo }, accountId: string): Promise<BenchTenant> {
  const transport = { baseUrl: emu.url, dangerouslyAllowInsecureHttp: true };
  const endpoints = resolveEndpoints(accountId, transport);
  const integrations = emu.seed.integrations.filter((i) => i.accountId === accountId);
  const publicClient = integrations.find((i) => i.publicClient);
  const confidential = integrations.find((i) => !i.publicClient && i.grants.includes('client_credentials'));
  const admin = emu.seed.users.find((u) => u.accountId === accountId && u.roles.some((r) => r.internalId === ADMIN_ROLE));
  if (!publicClient || !confidential || !admin) throw new Error(`the emulator seed lacks integrations or an administrator for ${accountId}`);

  await installBundle(emu.url, accountId);
  const tokens = await authorizePublicClient(emu, accountId);

  const certificates = new CertificateApi({
    endpoints, clientId: confidential.clientId, http: new NetSuiteHttp({ accountId }), auth: staticTokenProvider(tokens.accessToken),
  });
  const generated = await generateCertificate({ keyType: 'EC-P256' });
  const uploaded = await certificates.upload({ certificatePem: generated.certificatePem, role: ADMIN_ROLE, entity: ADMIN_ENTITY });
  return { accountId, endpoints, clientId: confidential.clientId, certificateId: uploaded.certificateId, privateKeyPem: generated.privateKeyPem };
}

/**
 * Signs the administrator in through the public client's authorization code flow and returns the tokens
 * (a one-time refresh token: NetSuite's public-client rotation).
 */
export async function authorizePublicClient(emu: { url: string; seed: SeedInfo }, accountId: string): Promise<TokenSet & { clientId: string }> {
  const publicClient = emu.seed.integrations.find((i) => i.accountId === accountId && i.publicClient);
  const admin = emu.seed.users.find((u) => u.accountId === accountId && u.roles.some((r) => r.internalId === ADMIN_ROLE));
  if (!publicClient || !admin) throw new Error(`the emulator seed lacks a public client or an administrator for ${accountId}`);
  const authCode = new AuthorizationCodeClient({
    baseUrl: emu.url, dangerouslyAllowInsecureHttp: true, accountId, clientId: publicClient.clientId, redirectUri: REDIRECT_URI, scopes: ['restlets', 'rest_webservices'],
  });
  const { url } = await authCode.start();
  const callback = await signInAndAllow(url, admin.email, admin.password);
  const { tokens } = await authCode.handleCallback(callback);
  return { ...tokens, clientId: publicClient.clientId };
}

async function installBundle(baseUrl: string, accountId: string): Promise<void> {
  const res = await fetch(new URL('/__emulator/bundles', baseUrl), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId }),
  });
  if (res.status !== 200) throw new Error(`installing the bundle in ${accountId} failed: HTTP ${res.status}`);
}

/** Drives the emulator's plain HTML login and consent forms; returns the callback URL. */
async function signInAndAllow(authorizeUrl: string, email: string, password: string): Promise<string> {
  let res = await defaultFetch(authorizeUrl, { redirect: 'manual' });
  let page = await res.text();
  let cookie = '';
  if (page.includes('name="password"')) {
    res = await postForm(authorizeUrl, { flow: hidden(page, 'flow'), action: 'login', email, password }, cookie);
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    page = await res.text();
  }
  if (page.includes('value="allow"')) {
    const role = /<option value="(\d+)" selected>/.exec(page)?.[1] ?? String(ADMIN_ROLE);
    res = await postForm(authorizeUrl, { flow: hidden(page, 'flow'), action: 'allow', role }, cookie);
  }
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`sign-in did not redirect to the callback (HTTP ${res.status})`);
  return location;
}

function postForm(url: string, fields: Record<string, string>, cookie: string): Promise<Response> {
  const target = new URL(url);
  target.search = '';
  return defaultFetch(target, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

function hidden(html: string, name: string): string {
  const value = new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
  if (!value) throw new Error(`the emulator page has no hidden field ${name}`);
  return value;
}
