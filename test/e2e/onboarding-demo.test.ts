/** `suitebridge demo` in-process: the unattended onboarding against the embedded emulator (default seed: two records). */
import { runDemo } from '../../client/src/onboarding/demo';

describe('demo', () => {
  it.each([
    ['the consenting administrator as the integration user', undefined],
    ['another employee as the integration user', 8],
  ])('completes every step and the M2M calls with two integration records, an https callback and %s', async (_name, entity) => {
    let text = '';
    const result = await runDemo({ mode: 'plain', write: (t) => (text += t), ...(entity ? { entity } : {}) });
    expect({ ok: result.ok, failure: result.failure }).toEqual({ ok: true, failure: undefined });
    expect(result.view?.certificate?.entity).toBe(entity ?? 7);
    expect(result.view?.account?.userId).toBe(entity ?? 7);
    expect(result.view?.status).toBe('completed');
    expect(result.view?.settings.sameRecord).toBe(false);
    expect(result.view?.temporaryAccess).toBe('revoked');
    // Two integration records: the public one for consent, the confidential one for client credentials.
    expect(text).toMatch(/consent: SuiteBridge \(public\) — public client, authorization code \+ PKCE/);
    expect(text).toMatch(/M2M: +SuiteBridge \(confidential\) — confidential, client credentials/);
    // The https callback, reached by the demo's browser with the throwaway certificate pinned (or, when another
    // process holds every registered port, handed over in-process: said so).
    const served = /Callback: (https:\/\/127\.0\.0\.1:\d+\/callback) over HTTPS, throwaway certificate SHA-256 ([0-9A-F:]{95})/.exec(text);
    if (served) expect(text).toContain(`| GET ${served[1]} 200`);
    else expect(text).toMatch(/Callback: https:\/\/127\.0\.0\.1:\d+\/callback is busy/);
    for (const step of ['Temporary elevated access', 'Bundle installation', 'Long-term access (certificate)', 'Post-install']) {
      expect(text).toMatch(new RegExp(`✓ ${step.replace(/[()]/g, '\\$&')}\\s+\\d+ ms`));
    }
    expect(text).toMatch(/✓ health .*role customrole_sbr_integration/i);
    expect(text).toMatch(/✓ config read .*"suitebridge.tenant":"1234567"/);
    expect(text).toMatch(/✓ SuiteQL .*suitebridge.onboarded_by=suitebridge/);
    expect(text).toMatch(/browser: GET \/app\/login\/oauth2\/authorize.nl 200 → login .* → consent \(allow\)/);
    expect(text).toMatch(/browser: .*\/app\/bundler\/installbundle.nl 200 → install/);
    expect(text).toMatch(/Automated part: \d+\.\d\d s/);
    // Success has no failure mark anywhere (the time goal is reported, not judged).
    expect(text).not.toContain('✗');
    expect(text).not.toMatch(/PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}\./);
  }, 60_000);
});
