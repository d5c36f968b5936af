import { accountHostId, normalizeAccountId, resolveEndpoints } from '../../client/src/account';
import { ConfigurationError } from '../../client/src/errors';
import { rejectionSync } from './support/coreFetchMock';

describe('normalizeAccountId', () => {
  it.each([
    ['1234567', '1234567'],
    ['1234567_sb1', '1234567_SB1'],
    ['1234567_SB12', '1234567_SB12'],
    ['1234567_rp2', '1234567_RP2'],
    ['tstdrv1234567', 'TSTDRV1234567'],
    [' 1234567 ', '1234567'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeAccountId(input)).toBe(expected);
  });

  it.each([
    '',
    'abc',
    '1234567-sb1',
    '1234567_SB',
    '1234567_XX1',
    '1234567.evil.com',
    'evil.com#1234567',
    '1234567@attacker.example',
    '1234567/../x',
    '1234567_SB1.attacker',
    '1234567%2eevil',
    'TSTDRV',
    '1234567 _SB1',
    '1'.repeat(41),
  ])('rejects %j with INVALID_ACCOUNT_ID', (input) => {
    const err = rejectionSync(() => normalizeAccountId(input));
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.code).toBe('INVALID_ACCOUNT_ID');
    expect(err.field).toBe('accountId');
    expect(err.remedy).toMatch(/Company Information/);
  });

  it('rejects non-strings', () => {
    expect(rejectionSync(() => normalizeAccountId(undefined as unknown as string)).code).toBe('INVALID_ACCOUNT_ID');
  });
});

describe('accountHostId', () => {
  it('lower-cases and hyphenates the sandbox suffix', () => {
    expect(accountHostId('1234567_SB1')).toBe('1234567-sb1');
    expect(accountHostId('1234567_rp3')).toBe('1234567-rp3');
    expect(accountHostId('TSTDRV42')).toBe('tstdrv42');
    expect(accountHostId('1234567')).toBe('1234567');
  });
});

describe('resolveEndpoints', () => {
  it('puts each endpoint on the right NetSuite host for a sandbox', () => {
    const e = resolveEndpoints('1234567_sb1');
    expect(e.accountId).toBe('1234567_SB1');
    expect(e.hostId).toBe('1234567-sb1');
    expect(e.authorizeUrl).toBe('https://1234567-sb1.app.netsuite.com/app/login/oauth2/authorize.nl');
    const st = 'https://1234567-sb1.suitetalk.api.netsuite.com';
    expect(e.tokenUrl).toBe(`${st}/services/rest/auth/oauth2/v1/token`);
    expect(e.revokeUrl).toBe(`${st}/services/rest/auth/oauth2/v1/revoke`);
    expect(e.jwksUrl).toBe(`${st}/services/rest/auth/oauth2/v1/keys`);
    expect(e.userinfoUrl).toBe(`${st}/services/rest/auth/oauth2/v1/userinfo`);
    expect(e.openidConfigurationUrl).toBe(`${st}/.well-known/openid-configuration`);
    expect(e.suiteqlUrl).toBe(`${st}/services/rest/query/v1/suiteql`);
    expect(e.governanceLimitsUrl).toBe(`${st}/services/rest/system/v1/governanceLimits`);
    expect(e.recordUrl('customer')).toBe(`${st}/services/rest/record/v1/customer`);
    expect(e.recordUrl('customer', 42)).toBe(`${st}/services/rest/record/v1/customer/42`);
    const rl = 'https://1234567-sb1.restlets.api.netsuite.com';
    expect(e.restletUrl('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health')).toBe(
      `${rl}/app/site/hosting/restlet.nl?script=customscript_sbr_rl_health&deploy=customdeploy_sbr_rl_health`,
    );
    expect(e.restletUrl(12, 1)).toBe(`${rl}/app/site/hosting/restlet.nl?script=12&deploy=1`);
    expect(e.certificatesUrl('abc')).toBe(`${rl}/services/rest/auth/oauth2/v1/clients/abc/certificates`);
    expect(e.certificateRevokeUrl('abc', '-NPMn_x')).toBe(`${rl}/services/rest/auth/oauth2/v1/clients/abc/certificates/-NPMn_x/revoke`);
  });

  it('encodes path and query parts so they cannot change the URL', () => {
    const e = resolveEndpoints('1234567');
    expect(e.recordUrl('customer/../../x', '1?a=b')).toBe(
      'https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer%2F..%2F..%2Fx/1%3Fa%3Db',
    );
    expect(e.restletUrl('a&deploy=9', '1#x')).toContain('script=a%26deploy%3D9&deploy=1%23x');
    expect(rejectionSync(() => e.recordUrl('')).code).toBe('INVALID_ARGUMENT');
  });

  it('maps a loopback baseUrl (the emulator) to the account\'s app, suitetalk and restlets hosts under .localhost', () => {
    const e = resolveEndpoints('1234567_SB1', { baseUrl: 'http://127.0.0.1:4010/', dangerouslyAllowInsecureHttp: true });
    expect(e.origins).toEqual({
      app: 'http://1234567-sb1.app.localhost:4010',
      suitetalk: 'http://1234567-sb1.suitetalk.localhost:4010',
      restlets: 'http://1234567-sb1.restlets.localhost:4010',
    });
    expect(e.authorizeUrl).toBe('http://1234567-sb1.app.localhost:4010/app/login/oauth2/authorize.nl');
    expect(e.tokenUrl).toBe('http://1234567-sb1.suitetalk.localhost:4010/services/rest/auth/oauth2/v1/token');
    expect(e.openidConfigurationUrl).toBe('http://1234567-sb1.suitetalk.localhost:4010/.well-known/openid-configuration');
    expect(e.suiteqlUrl).toBe('http://1234567-sb1.suitetalk.localhost:4010/services/rest/query/v1/suiteql');
    expect(e.restletUrl('s', 'd')).toBe('http://1234567-sb1.restlets.localhost:4010/app/site/hosting/restlet.nl?script=s&deploy=d');
    expect(e.certificatesUrl('c')).toBe('http://1234567-sb1.restlets.localhost:4010/services/rest/auth/oauth2/v1/clients/c/certificates');
  });

  it('keeps a custom domain and path prefix over https', () => {
    const e = resolveEndpoints('1234567', { baseUrl: 'https://netsuite.proxy.example.com/ns/' });
    expect(e.tokenUrl).toBe('https://netsuite.proxy.example.com/ns/services/rest/auth/oauth2/v1/token');
    expect(e.authorizeUrl).toBe('https://netsuite.proxy.example.com/ns/app/login/oauth2/authorize.nl');
    expect(e.restletUrl('s', 'd')).toBe('https://netsuite.proxy.example.com/ns/app/site/hosting/restlet.nl?script=s&deploy=d');
    expect(e.hostId).toBe('1234567');
  });

  it('maps localhost and IPv6 loopback too; a *.localhost baseUrl is already one host and stays as given', () => {
    expect(resolveEndpoints('1', { baseUrl: 'http://localhost:9', dangerouslyAllowInsecureHttp: true }).tokenUrl).toMatch(/^http:\/\/1\.suitetalk\.localhost:9\//);
    expect(resolveEndpoints('1', { baseUrl: 'http://[::1]:9', dangerouslyAllowInsecureHttp: true }).authorizeUrl).toMatch(/^http:\/\/1\.app\.localhost:9\//);
    expect(resolveEndpoints('1', { baseUrl: 'https://127.0.0.1:9' }).restletUrl('s', 'd')).toMatch(/^https:\/\/1\.restlets\.localhost:9\//);
    expect(resolveEndpoints('1', { baseUrl: 'http://1234567.localhost:9', dangerouslyAllowInsecureHttp: true }).tokenUrl).toMatch(
      /^http:\/\/1234567\.localhost:9\//,
    );
  });

  it('refuses loopback http without the opt-in and names the option', () => {
    const err = rejectionSync(() => resolveEndpoints('1234567', { baseUrl: 'http://127.0.0.1:4010' }));
    expect(err.code).toBe('INSECURE_URL');
    expect(err.remedy).toContain('dangerouslyAllowInsecureHttp');
    expect(err.remedy).toContain('--dangerously-allow-insecure-http');
  });

  it('refuses non-loopback http even with the opt-in', () => {
    for (const baseUrl of ['http://example.com', 'http://10.0.0.1:4010', 'http://127.0.0.1.evil.com']) {
      const err = rejectionSync(() => resolveEndpoints('1234567', { baseUrl, dangerouslyAllowInsecureHttp: true }));
      expect(err.code).toBe('INSECURE_URL');
      expect(err.message).toMatch(/plain http/);
    }
  });

  it.each(['not a url', 'ftp://example.com', 'https://user:pw@example.com', 'https://example.com/?x=1', 'https://example.com/#f'])(
    'refuses baseUrl %j',
    (baseUrl) => {
      const err = rejectionSync(() => resolveEndpoints('1234567', { baseUrl }));
      expect(err.code).toBe('INVALID_ARGUMENT');
      expect(err.field).toBe('baseUrl');
    },
  );
});
