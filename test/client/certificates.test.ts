import { createHash, createPublicKey, webcrypto, X509Certificate } from 'node:crypto';
import { SignJWT, importPKCS8, importX509, jwtVerify } from 'jose';
import { resolveEndpoints } from '../../client/src/account';
import { CertificateApi } from '../../client/src/certificates/api';
import { expiryWarnings } from '../../client/src/certificates/expiry';
import { generateCertificate, MAX_VALIDITY_DAYS } from '../../client/src/certificates/generate';
import { inspectCertificatePem } from '../../client/src/certificates/inspect';
import { x509 } from '../../client/src/certificates/x509';
import { NetSuiteApiError } from '../../client/src/errors';
import { countingTokens, json, scriptedFetch, testHttp, text, type Reply } from './_resourceFakes';

const NOW = Date.UTC(2026, 10, 22, 10, 0, 0);
const clock = { now: () => NOW };
const DAY = 86_400_000;

describe('generateCertificate', () => {
  let rsa: Awaited<ReturnType<typeof generateCertificate>>;
  beforeAll(async () => {
    rsa = await generateCertificate({ clock, commonName: 'Acme M2M', validityDays: 365 });
  });

  it('makes an RSA 3072 key and a self-signed X.509 certificate by default', () => {
    const cert = new X509Certificate(rsa.certificatePem);
    expect(cert.subject).toBe('CN=Acme M2M');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(cert.ca).toBe(false);
    expect(rsa.keyType).toBe('RSA-3072');
    expect(rsa.algorithm).toBe('PS256');
  });

  it('sets the validity window from the clock', () => {
    const cert = new X509Certificate(rsa.certificatePem);
    expect(new Date(cert.validFrom).getTime()).toBe(NOW);
    expect(new Date(cert.validTo).getTime()).toBe(NOW + 365 * DAY);
    expect(rsa.notBefore.getTime()).toBe(NOW);
    expect(rsa.notAfter.getTime()).toBe(NOW + 365 * DAY);
  });

  it('exports a PKCS#8 private key matching the certificate, usable by jose for PS256 (never RS256)', async () => {
    expect(rsa.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    const key = await importPKCS8(rsa.privateKeyPem, 'PS256');
    const jwt = await new SignJWT({ iss: 'client' }).setProtectedHeader({ alg: 'PS256', kid: 'cert-1' }).sign(key);
    const { payload, protectedHeader } = await jwtVerify(jwt, await importX509(rsa.certificatePem, 'PS256'));
    expect(payload.iss).toBe('client');
    expect(protectedHeader.alg).toBe('PS256');
  });

  it('reports the SHA-256 fingerprint of the DER certificate', () => {
    const der = new X509Certificate(rsa.certificatePem).raw;
    const expected = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
    expect(rsa.sha256Fingerprint).toBe(expected);
    expect(new X509Certificate(rsa.certificatePem).fingerprint256).toBe(expected);
  });

  it.each([
    ['EC-P256', 'prime256v1', 'ES256'],
    ['EC-P384', 'secp384r1', 'ES384'],
    ['EC-P521', 'secp521r1', 'ES512'],
  ] as const)('makes %s certificates that sign %s assertions', async (keyType, curve, alg) => {
    const ec = await generateCertificate({ keyType, clock });
    const cert = new X509Certificate(ec.certificatePem);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe(curve);
    expect(ec.algorithm).toBe(alg);
    const jwt = await new SignJWT({}).setProtectedHeader({ alg }).sign(await importPKCS8(ec.privateKeyPem, alg));
    await expect(jwtVerify(jwt, await importX509(ec.certificatePem, alg))).resolves.toBeDefined();
  });

  it('defaults to the 730-day maximum and refuses anything longer', async () => {
    const ec = await generateCertificate({ keyType: 'EC-P256', clock });
    expect(ec.notAfter.getTime() - ec.notBefore.getTime()).toBe(MAX_VALIDITY_DAYS * DAY);
    await expect(generateCertificate({ keyType: 'EC-P256', validityDays: 731 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'validityDays' });
    await expect(generateCertificate({ keyType: 'EC-P256', validityDays: 0 })).rejects.toMatchObject({ field: 'validityDays' });
  });

  it('rejects unknown key types and unusable common names', async () => {
    await expect(generateCertificate({ keyType: 'RSA-2048' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'keyType' });
    await expect(generateCertificate({ keyType: 'EC-P256', commonName: 'x'.repeat(65) })).rejects.toMatchObject({ field: 'commonName' });
    await expect(generateCertificate({ keyType: 'EC-P256', commonName: 'a\nb' })).rejects.toMatchObject({ field: 'commonName' });
  });

  it('keeps a comma in the common name inside the CN (no DN injection)', async () => {
    const ec = await generateCertificate({ keyType: 'EC-P256', commonName: 'Acme, Inc. O=Evil', clock });
    const cert = new X509Certificate(ec.certificatePem);
    // One CN attribute, the comma escaped; no O= attribute was injected.
    expect(cert.subject).toBe('CN=Acme\\, Inc. O=Evil');
  });
});

describe('inspectCertificatePem', () => {
  it('summarises an acceptable certificate', async () => {
    const ec = await generateCertificate({ keyType: 'EC-P384', clock });
    expect(inspectCertificatePem(ec.certificatePem)).toMatchObject({ key: 'EC P-384', subject: 'CN=SuiteBridge client credentials' });
  });

  it('refuses text holding a private key, non-PEM text and garbage', async () => {
    const ec = await generateCertificate({ keyType: 'EC-P256', clock });
    expect(() => inspectCertificatePem(ec.certificatePem + ec.privateKeyPem)).toThrow(/contains a private key/);
    expect(() => inspectCertificatePem('hello')).toThrow(/not a PEM certificate/);
    expect(() => inspectCertificatePem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toThrow(/could not be parsed/);
  });

  it('refuses RSA 2048 certificates, which NetSuite rejects', async () => {
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
    const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=old', notBefore: new Date(NOW), notAfter: new Date(NOW + DAY), signingAlgorithm: alg, keys });
    expect(() => inspectCertificatePem(cert.toString('pem'))).toThrow(/RSA 2048-bit key; NetSuite accepts only 3072 or 4096/);
    expect(createPublicKey(cert.toString('pem')).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });
});

describe('CertificateApi', () => {
  const endpoints = resolveEndpoints('1234567_SB1');
  const clientId = 'a'.repeat(64);
  const base = `https://1234567-sb1.restlets.api.netsuite.com/services/rest/auth/oauth2/v1/clients/${clientId}/certificates`;

  function api(replies: Reply[]) {
    const { fetch, calls } = scriptedFetch(replies);
    const auth = countingTokens();
    return { certs: new CertificateApi({ endpoints, clientId, http: testHttp(fetch).http, auth }), calls, auth };
  }

  it('lists certificates from the restlets host and maps snake_case fields', async () => {
    const { certs, calls } = api([
      json(200, [
        { certificate_id: '-NPMnRyPg-WDWabc', algorithm: 'EC', valid_until: '2027-01-31', revoked: false },
        { certificate_id: 'B2', algorithm: 'RSA', valid_until: '2026-12-01', revoked: true, extra: 1 },
      ]),
    ]);
    expect(await certs.list()).toEqual([
      { certificateId: '-NPMnRyPg-WDWabc', algorithm: 'EC', validUntil: '2027-01-31', revoked: false },
      { certificateId: 'B2', algorithm: 'RSA', validUntil: '2026-12-01', revoked: true },
    ]);
    expect(calls[0]).toMatchObject({ method: 'GET', url: base, headers: { authorization: 'Bearer token-1' } });
  });

  it('accepts an items wrapper and rejects other shapes clearly', async () => {
    expect(await api([json(200, { items: [{ certificate_id: 'X', algorithm: 'EC', valid_until: '2027-01-01', revoked: false }] })]).certs.list()).toHaveLength(1);
    await expect(api([json(200, { nope: 1 })]).certs.list()).rejects.toThrow(/certificate list is not an array/);
    await expect(api([json(200, [{ algorithm: 'EC' }])]).certs.list()).rejects.toThrow(/no certificate_id/);
    await expect(api([text(200, 'oops')]).certs.list()).rejects.toThrow(/not JSON/);
  });

  it('uploads JSON {fileContent, role, entity} and returns the new certificate ID', async () => {
    const ec = await generateCertificate({ keyType: 'EC-P256', clock });
    const { certs, calls } = api([json(200, { certificate_id: 'NEW-1', algorithm: 'EC', valid_until: '2028-11-21', invalidated: false })]);
    const info = await certs.upload({ certificatePem: ec.certificatePem, role: 1001, entity: 8 });
    expect(info).toEqual({ certificateId: 'NEW-1', algorithm: 'EC', validUntil: '2028-11-21', revoked: false });
    expect(calls[0]).toMatchObject({ method: 'POST', url: base, headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(calls[0]!.body!)).toEqual({ fileContent: ec.certificatePem, role: 1001, entity: 8 });
  });

  it('never uploads a private key, and validates role and entity, before any request', async () => {
    const ec = await generateCertificate({ keyType: 'EC-P256', clock });
    const { certs, calls } = api([]);
    await expect(certs.upload({ certificatePem: ec.privateKeyPem, role: 3, entity: 7 })).rejects.toMatchObject({ code: 'CERTIFICATE_ERROR' });
    await expect(certs.upload({ certificatePem: ec.certificatePem, role: 1.5, entity: 7 })).rejects.toMatchObject({ field: 'role' });
    await expect(certs.upload({ certificatePem: ec.certificatePem, role: 3, entity: Number.NaN })).rejects.toMatchObject({ field: 'entity' });
    expect(calls).toHaveLength(0);
  });

  it('does not retry an upload that hit a 503 (it may have been stored)', async () => {
    const ec = await generateCertificate({ keyType: 'EC-P256', clock });
    const { certs, calls } = api([text(503, 'unavailable')]);
    await expect(certs.upload({ certificatePem: ec.certificatePem, role: 3, entity: 7 })).rejects.toMatchObject({ status: 503 });
    expect(calls).toHaveLength(1);
  });

  it('revokes by POST to …/{id}/revoke and accepts the text answer, retrying a 503', async () => {
    const { certs, calls } = api([text(503, ''), text(200, 'Successfully revoked')]);
    await certs.revoke('-abc_DEF');
    expect(calls[1]).toMatchObject({ method: 'POST', url: `${base}/-abc_DEF/revoke`, body: undefined });
  });

  it('maps REST errors (e.g. missing permission) to NetSuiteApiError', async () => {
    const { certs } = api([json(403, { title: 'Forbidden', status: 403, 'o:errorDetails': [{ detail: 'Permission Violation: you need Manage own OAuth 2.0 Client Credentials certificates.', 'o:errorCode': 'INSUFFICIENT_PERMISSION' }] })]);
    const err = (await certs.list().catch((e: unknown) => e)) as NetSuiteApiError;
    expect(err).toBeInstanceOf(NetSuiteApiError);
    expect(err).toMatchObject({ status: 403, netsuiteCode: 'INSUFFICIENT_PERMISSION' });
  });

  it('rejects certificate IDs that are not base64url', async () => {
    const { certs, calls } = api([]);
    await expect(certs.revoke('../x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'certificateId' });
    expect(calls).toHaveLength(0);
  });
});

describe('expiryWarnings', () => {
  const now = new Date(NOW);
  const inDays = (d: number) => new Date(NOW + d * DAY);

  it.each([
    [90, 'ok'],
    [61, 'ok'],
    [60, '60d'],
    [31, '60d'],
    [30, '30d'],
    [15, '30d'],
    [14, '14d'],
    [1, '14d'],
  ])('%i days left → %s', (days, level) => {
    expect(expiryWarnings(inDays(days), now)).toEqual({ daysLeft: days, level });
  });

  it('reports expired certificates with negative days', () => {
    expect(expiryWarnings(inDays(-3), now)).toEqual({ daysLeft: -3, level: 'expired' });
    expect(expiryWarnings(now, now).level).toBe('expired');
  });

  it('reads NetSuite YYYY-MM-DD dates as the start of that UTC day', () => {
    expect(expiryWarnings('2026-12-22', now)).toEqual({ daysLeft: 29, level: '30d' });
    expect(expiryWarnings('2026-11-22', now).level).toBe('expired');
  });

  it('rejects a date it cannot read', () => {
    expect(() => expiryWarnings('someday', now)).toThrow(/not a date/);
  });
});
