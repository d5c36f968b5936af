/** `suitebridge demo` in-process: the unattended onboarding against the embedded emulator, with one and with two integration records. */
import { runDemo } from '../../client/src/onboarding/demo';

describe('demo', () => {
  it.each([
    ['one integration record for both grants', false, undefined],
    ['a separate client-credentials record', true, undefined],
    ['another employee as the integration user', false, 8],
  ])('completes every step and the M2M calls with %s', async (_name, twoRecords, entity) => {
    let text = '';
    const result = await runDemo({ mode: 'plain', write: (t) => (text += t), twoRecords, ...(entity ? { entity } : {}) });
    expect(result.view?.certificate?.entity).toBe(entity ?? 7);
    expect(result.view?.account?.userId).toBe(entity ?? 7);
    expect({ ok: result.ok, failure: result.failure }).toEqual({ ok: true, failure: undefined });
    expect(result.view?.status).toBe('completed');
    expect(result.view?.settings.sameRecord).toBe(!twoRecords);
    expect(result.view?.temporaryAccess).toBe('revoked');
    for (const step of ['Temporary elevated access', 'Bundle installation', 'Long-term access (certificate)', 'Post-install']) {
      expect(text).toMatch(new RegExp(`✓ ${step.replace(/[()]/g, '\\$&')}\\s+\\d+ ms`));
    }
    expect(text).toMatch(/✓ health .*role customrole_sbr_integration/i);
    expect(text).toMatch(/✓ config read .*"suitebridge.tenant":"1234567"/);
    expect(text).toMatch(/✓ SuiteQL .*suitebridge.onboarded_by=suitebridge/);
    expect(text).toMatch(/browser: GET \/app\/login\/oauth2\/authorize.nl 200 → login .* → consent \(allow\)/);
    expect(text).toMatch(/browser: .*\/app\/bundler\/installbundle.nl 200 → install/);
    expect(text).toMatch(/Automated part: \d+\.\d\d s/);
    expect(text).not.toMatch(/PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}\./);
  }, 30_000);
});
