import { ConfigurationError } from '../../client/src';
import { resolveSettings } from '../../client/src/onboarding/settings';

const CLIENT_ID = 'a'.repeat(64);
const settings = (extra: Record<string, unknown>) => ({ accountId: '1234567', authClient: { clientId: CLIENT_ID }, ...extra });

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
    ['redirectUri', { redirectUri: 'http://admin:hunter2-pw@127.0.0.1:8899/callback' }],
  ])('%s with credentials in it is refused without echoing them', (field, extra) => {
    const err = caught(() => resolveSettings(settings(extra) as never));
    expect(err.field).toBe(field);
    expect(err.message).not.toContain('hunter2');
    expect(err.remedy).toEqual(expect.any(String));
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

  it('a loopback http baseUrl with the opt-in, and a loopback http redirect URI, are accepted', () => {
    const resolved = resolveSettings(settings({ baseUrl: 'http://127.0.0.1:4010', dangerouslyAllowInsecureHttp: true, redirectUri: 'http://127.0.0.1:8899/callback' }) as never);
    expect(resolved.baseUrl).toBe('http://127.0.0.1:4010');
  });
});
