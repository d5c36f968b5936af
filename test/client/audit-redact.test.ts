import { generateKeyPairSync } from 'node:crypto';
import { redact } from '../../client/src';
import { toNetSuiteApiError } from '../../client/src/resources/apiErrors';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const keyLine = pem.split('\n')[1]!;

describe('audit: redact', () => {
  it('removes a private key whose END line was cut off (a truncated echo of a body)', () => {
    const text = `proxy says: ${pem.slice(0, 120)}`;
    expect(text).toContain(keyLine.slice(0, 20));
    expect(redact(text)).not.toContain(keyLine.slice(0, 20));
    expect(redact(text)).toContain('[REDACTED PRIVATE KEY]');
  });

  it.each(['refresh_token', 'access_token', 'client_secret', 'code_verifier', 'client_assertion', 'password', 'clientSecret', 'refreshToken'])(
    'removes an opaque %s in JSON', (name) => {
      const out = redact(`echo: {"${name}" : "opaqueVALUE123", "other": "kept"}`);
      expect(out).not.toContain('opaqueVALUE123');
      expect(out).toContain('kept');
    },
  );

  it('a NetSuite error with a non-JSON body that quotes the key (cut at 300 characters) does not carry it', () => {
    const body = `<html><body><pre>${'x'.repeat(100)}\n${pem}</pre></body></html>`;
    const err = toNetSuiteApiError({ status: 502, headers: new Headers(), body } as never, 'restlet', 'RESTlet GET');
    expect(err.message).not.toContain(keyLine.slice(0, 20));
  });
});
