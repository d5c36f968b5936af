import { ConfigurationError } from '../../client/src';
import { resolveSettings } from '../../client/src/onboarding/settings';

const CLIENT_ID = 'a'.repeat(64);
const CC_CLIENT_ID = 'c'.repeat(64);
const settings = (extra: Record<string, unknown>) => ({ accountId: '1234567', authClient: { clientId: CLIENT_ID }, ccClient: { clientId: CC_CLIENT_ID }, ...extra });

function caught(f: () => unknown): ConfigurationError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return err as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('audit: onboarding URLs', () => {
  // The base URL ends up in the bundle install link the CLI and console print, and in `tenants show`.
  it.each([
    ['baseUrl', { baseUrl: 'https://admin:hunter2-pw@emulator.example.com' }],
    ['redirectUri', { redirectUri: 'https://admin:hunter2-pw@127.0.0.1:8899/callback' }],
  ])('%s with credentials in it is refused without echoing them', (field, extra) => {
    const err = caught(() => resolveSettings(settings(extra) as never));
    expect(err.field).toBe(field);
    expect(err.message).not.toContain('hunter2');
    expect(err.remedy).toEqual(expect.any(String));
  });

  it.each([
    ['not a URL', 'install here', 'INVALID_ARGUMENT'],
    ['plain http', 'http://1234567.app.netsuite.com/app/bundler/installbundle.nl?id=1', 'INSECURE_URL'],
    ['credentials in it', 'https://admin:hunter2-pw@1234567.app.netsuite.com/x', 'INVALID_ARGUMENT'],
  ])('a bundle install link that is %s is refused naming the field', (_what, bundleInstallUrl, code) => {
    const err = caught(() => resolveSettings(settings({ bundleInstallUrl }) as never));
    expect({ code: err.code, field: err.field }).toEqual({ code, field: 'bundleInstallUrl' });
    expect(err.message).not.toContain('hunter2');
  });

  it('a baseUrl that is not a URL gets a base-URL example, not a callback one', () => {
    const err = caught(() => resolveSettings(settings({ baseUrl: 'nope' }) as never));
    expect(err.field).toBe('baseUrl');
    expect(err.remedy).not.toContain('/callback');
    expect(err.remedy).toMatch(/https:\/\//);
  });

  it.each([
    ['loopback http without the opt-in', { baseUrl: 'http://127.0.0.1:4010' }],
    ['non-loopback http even with the opt-in', { baseUrl: 'http://emulator.example.com', dangerouslyAllowInsecureHttp: true }],
  ])('a baseUrl over %s is refused as INSECURE_URL naming the flag', (_what, extra) => {
    const err = caught(() => resolveSettings(settings(extra) as never));
    expect(err.code).toBe('INSECURE_URL');
    expect(err.field).toBe('baseUrl');
    expect(err.remedy).toContain('--dangerously-allow-insecure-http');
  });

  it('a loopback http baseUrl with the opt-in and the default https loopback redirect URI are accepted', () => {
    const resolved = resolveSettings(settings({ baseUrl: 'http://127.0.0.1:4010', dangerouslyAllowInsecureHttp: true }) as never);
    expect(resolved.baseUrl).toBe('http://127.0.0.1:4010');
    expect(resolved.redirectUri).toBe('https://127.0.0.1:8899/callback');
  });

  // NetSuite: "The http:// scheme isn't supported" for redirect URIs, loopback included.
  it.each(['http://127.0.0.1:8899/callback', 'http://app.example.com/callback'])('an http:// redirect URI (%s) is refused with the https one to register', (redirectUri) => {
    const err = caught(() => resolveSettings(settings({ redirectUri }) as never));
    expect(err.code).toBe('INSECURE_URL');
    expect(err.field).toBe('redirectUri');
    expect(err.message).toMatch(/NetSuite refuses http:\/\/ redirect URIs/);
    expect(err.remedy).toContain('https://127.0.0.1:8899/callback');
  });

  it('a custom-scheme redirect URI is accepted (NetSuite allows myapp://callback)', () => {
    expect(resolveSettings(settings({ redirectUri: 'myapp://callback' }) as never).redirectUri).toBe('myapp://callback');
  });
});

describe('audit: integration records of the onboarding', () => {
  it('two records are the default: without the client-credentials record the error names --cc-client-id and --single-record', () => {
    const err = caught(() => resolveSettings({ accountId: '1234567', authClient: { clientId: CLIENT_ID } }));
    expect(err.field).toBe('ccClient.clientId');
    expect(err.remedy).toMatch(/--cc-client-id.*confidential.*Client Credentials/);
    expect(err.remedy).toContain('--single-record');
  });

  it('the same client ID for both grants without --single-record is refused (a public client cannot use client credentials)', () => {
    const err = caught(() => resolveSettings(settings({ ccClient: { clientId: CLIENT_ID } }) as never));
    expect(err.field).toBe('ccClient.clientId');
    expect(err.remedy).toMatch(/Oracle does not support the client credentials grant on a public client/);
  });

  it('--single-record needs the secret of the confidential record, and then uses it for both grants', () => {
    const missing = caught(() => resolveSettings({ accountId: '1234567', authClient: { clientId: CLIENT_ID }, singleRecord: true }));
    expect(missing.field).toBe('authClient.clientSecret');
    expect(missing.remedy).toMatch(/confidential client \(Public Client unchecked\) with both Authorization Code Grant and Client Credentials/);
    const resolved = resolveSettings({ accountId: '1234567', authClient: { clientId: CLIENT_ID, clientSecret: 's'.repeat(64) }, singleRecord: true });
    expect(resolved.ccClient.clientId).toBe(CLIENT_ID);
    expect(resolved.singleRecord).toBe(true);
    const contradictory = caught(() => resolveSettings({ ...settings({ singleRecord: true }), authClient: { clientId: CLIENT_ID, clientSecret: 'x'.repeat(64) } } as never));
    expect(contradictory.field).toBe('ccClient.clientId');
  });

  it('the refresh token validity used in warnings is bounded to what NetSuite offers (1-720 h)', () => {
    expect(caught(() => resolveSettings(settings({ refreshTokenValidityHours: 0 }) as never)).field).toBe('refreshTokenValidityHours');
    expect(caught(() => resolveSettings(settings({ refreshTokenValidityHours: 721 }) as never)).field).toBe('refreshTokenValidityHours');
    expect(resolveSettings(settings({ refreshTokenValidityHours: 48 }) as never).refreshTokenValidityHours).toBe(48);
  });
});
