import { X509Certificate } from 'node:crypto';
import { decodeProtectedHeader, importPKCS8, importX509, jwtVerify, SignJWT } from 'jose';
import type { CertificateInfo } from '../../client/src/certificates/api';
import { rotateCertificate, type RotateCertificateOptions } from '../../client/src/certificates/rotate';
import { SuiteBridgeError } from '../../client/src/errors';

const NOW = Date.UTC(2026, 10, 22, 10, 0, 0);
const clock = { now: () => NOW };

// The API reports entity and role as linked records; the fake keeps plain IDs.
interface StoredCert extends Omit<CertificateInfo, 'entity' | 'role'> {
  pem: string;
  role: number;
  entity: number;
}

/** The certificate endpoint's behaviour, in memory, with a log of what happened in which order. */
function fakeCertificateApi(initial: Array<Partial<StoredCert> & { certificateId: string }> = []) {
  const certs: StoredCert[] = initial.map((c) => ({ algorithm: 'RSA', validUntil: '2027-06-01', revoked: false, pem: '', role: 3, entity: 7, ...c }));
  const log: string[] = [];
  let next = 1;
  const failures: { upload?: Error; revoke?: Map<string, Error> } = { revoke: new Map() };
  const api: RotateCertificateOptions['api'] = {
    async list() {
      log.push('list');
      return certs.map(({ certificateId, algorithm, validUntil, revoked }) => ({ certificateId, algorithm, validUntil, revoked }));
    },
    async upload({ certificatePem, role, entity }) {
      log.push('upload');
      if (failures.upload) throw failures.upload;
      const notAfter = new Date(new X509Certificate(certificatePem).validTo).toISOString().slice(0, 10);
      const cert: StoredCert = { certificateId: `NEW-${next++}`, algorithm: 'RSA', validUntil: notAfter, revoked: false, pem: certificatePem, role, entity };
      certs.push(cert);
      return { certificateId: cert.certificateId, algorithm: cert.algorithm, validUntil: cert.validUntil, revoked: false };
    },
    async revoke(id) {
      log.push(`revoke ${id}`);
      const failure = failures.revoke?.get(id);
      if (failure) throw failure;
      const cert = certs.find((c) => c.certificateId === id);
      if (!cert) throw new Error(`no certificate ${id}`);
      cert.revoked = true;
    },
  };
  return { api, certs, log, failures };
}

/** A verify that checks what a token endpoint would: the kid is registered and the key signs for its certificate. */
function tokenEndpointVerify(fake: ReturnType<typeof fakeCertificateApi>, log = fake.log) {
  return async ({ certificateId, privateKeyPem }: { certificateId: string; privateKeyPem: string }) => {
    log.push(`verify ${certificateId}`);
    const cert = fake.certs.find((c) => c.certificateId === certificateId && !c.revoked);
    if (!cert) throw new Error('invalid_grant');
    const assertion = await new SignJWT({ iss: 'client' }).setProtectedHeader({ alg: 'PS256', kid: certificateId }).sign(await importPKCS8(privateKeyPem, 'PS256'));
    expect(decodeProtectedHeader(assertion).kid).toBe(certificateId);
    await jwtVerify(assertion, await importX509(cert.pem, 'PS256'));
  };
}

describe('rotateCertificate', () => {
  it('uploads, verifies the new kid, activates, then revokes the old certificate, in that order', async () => {
    const fake = fakeCertificateApi([{ certificateId: 'OLD' }]);
    const activated: string[] = [];
    const result = await rotateCertificate({
      api: fake.api,
      role: 1001,
      entity: 8,
      current: { certificateId: 'OLD' },
      verify: tokenEndpointVerify(fake),
      activate: async (next) => {
        fake.log.push(`activate ${next.certificateId}`);
        activated.push(next.privateKeyPem);
      },
      clock,
    });
    expect(fake.log).toEqual(['list', 'upload', 'verify NEW-1', 'activate NEW-1', 'revoke OLD']);
    expect(result).toMatchObject({ certificateId: 'NEW-1', revokedCertificateId: 'OLD', algorithm: 'PS256', validUntil: '2028-11-21', warnings: [] });
    expect(result.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect(activated).toEqual([result.privateKeyPem]);
    expect(fake.certs.find((c) => c.certificateId === 'OLD')?.revoked).toBe(true);
    expect(fake.certs.find((c) => c.certificateId === 'NEW-1')).toMatchObject({ revoked: false, role: 1001, entity: 8 });
  });

  it('works without a current certificate (first certificate) and with EC keys', async () => {
    const fake = fakeCertificateApi();
    const result = await rotateCertificate({ api: fake.api, role: 3, entity: 7, keyType: 'EC-P256', verify: async () => undefined, clock });
    expect(result.algorithm).toBe('ES256');
    expect(result.revokedCertificateId).toBeUndefined();
    expect(fake.log).toEqual(['list', 'upload']);
  });

  it('revokes the NEW certificate and keeps the old one when verification fails', async () => {
    const fake = fakeCertificateApi([{ certificateId: 'OLD' }]);
    const err = (await rotateCertificate({
      api: fake.api,
      role: 3,
      entity: 7,
      current: { certificateId: 'OLD' },
      verify: async () => {
        throw new Error('invalid_grant: scope not enabled');
      },
      clock,
    }).catch((e: unknown) => e)) as SuiteBridgeError;
    expect(err).toBeInstanceOf(SuiteBridgeError);
    expect(err.code).toBe('ROTATION_FAILED');
    expect(err.message).toContain('invalid_grant: scope not enabled');
    expect(err.message).toContain('The new certificate NEW-1 was revoked');
    expect(err.message).toContain('OLD was not touched');
    expect(fake.log).toEqual(['list', 'upload', 'revoke NEW-1']);
    expect(fake.certs.find((c) => c.certificateId === 'OLD')?.revoked).toBe(false);
  });

  it('revokes the new certificate when activation (persisting the key) fails', async () => {
    const fake = fakeCertificateApi([{ certificateId: 'OLD' }]);
    await expect(rotateCertificate({
      api: fake.api, role: 3, entity: 7, current: { certificateId: 'OLD' }, clock,
      verify: async () => undefined,
      activate: async () => {
        throw new Error('disk full');
      },
    })).rejects.toThrow(/activating the new certificate failed: disk full/);
    expect(fake.log).toEqual(['list', 'upload', 'revoke NEW-1']);
  });

  it('says so when the rollback revoke fails too', async () => {
    const fake = fakeCertificateApi();
    fake.failures.revoke!.set('NEW-1', new Error('503'));
    await expect(rotateCertificate({ api: fake.api, role: 3, entity: 7, clock, verify: async () => Promise.reject(new Error('nope')) }))
      .rejects.toThrow(/Revoking the new certificate NEW-1 also failed \(503\); revoke it by hand/);
  });

  it('keeps the new certificate and warns when revoking the old one fails', async () => {
    const fake = fakeCertificateApi([{ certificateId: 'OLD' }]);
    fake.failures.revoke!.set('OLD', new Error('HTTP 500'));
    const result = await rotateCertificate({ api: fake.api, role: 3, entity: 7, current: { certificateId: 'OLD' }, verify: async () => undefined, clock });
    expect(result.certificateId).toBe('NEW-1');
    expect(result.revokedCertificateId).toBeUndefined();
    expect(result.warnings).toEqual([expect.stringContaining('revoking the old one (OLD) failed: HTTP 500')]);
  });

  it('fails before uploading when the active limit is reached, naming a candidate to revoke', async () => {
    const fake = fakeCertificateApi([
      { certificateId: 'A', validUntil: '2027-03-01' },
      { certificateId: 'B', validUntil: '2027-01-01' },
      { certificateId: 'C', validUntil: '2028-01-01' },
      { certificateId: 'D', validUntil: '2027-12-01' },
      { certificateId: 'E', validUntil: '2027-05-01' },
      { certificateId: 'REVOKED', revoked: true },
      { certificateId: 'EXPIRED', validUntil: '2026-01-01' },
    ]);
    const err = (await rotateCertificate({ api: fake.api, role: 3, entity: 7, current: { certificateId: 'C' }, verify: async () => undefined, clock }).catch((e: unknown) => e)) as SuiteBridgeError;
    expect(err.code).toBe('ROTATION_FAILED');
    expect(err.message).toContain('5 certificates are active and the limit is 5');
    expect(err.message).toContain('Nothing was changed');
    expect(err.remedy).toContain('B, valid until 2027-01-01');
    expect(fake.log).toEqual(['list']);
  });

  it("with whenFull 'revoke-oldest', revokes the earliest-expiring non-current certificate first", async () => {
    const fake = fakeCertificateApi([
      { certificateId: 'CUR', validUntil: '2026-12-01' },
      { certificateId: 'B', validUntil: '2027-01-01' },
      { certificateId: 'C', validUntil: '2028-01-01' },
    ]);
    const result = await rotateCertificate({
      api: fake.api, role: 3, entity: 7, current: { certificateId: 'CUR' }, maxActive: 3, whenFull: 'revoke-oldest',
      verify: tokenEndpointVerify(fake), clock,
    });
    expect(fake.log).toEqual(['list', 'revoke B', 'upload', 'verify NEW-1', 'revoke CUR']);
    expect(result).toMatchObject({ evictedCertificateId: 'B', revokedCertificateId: 'CUR' });
    expect(fake.certs.filter((c) => !c.revoked).map((c) => c.certificateId)).toEqual(['C', 'NEW-1']);
  });

  it('counts only active certificates against the limit', async () => {
    const fake = fakeCertificateApi([
      { certificateId: 'A' },
      { certificateId: 'R1', revoked: true },
      { certificateId: 'X1', validUntil: '2025-01-01' },
    ]);
    await expect(rotateCertificate({ api: fake.api, role: 3, entity: 7, maxActive: 2, verify: async () => undefined, clock })).resolves.toMatchObject({ certificateId: 'NEW-1' });
  });

  it('rejects a maxActive that leaves no room for overlap', async () => {
    const fake = fakeCertificateApi();
    await expect(rotateCertificate({ api: fake.api, role: 3, entity: 7, maxActive: 1, verify: async () => undefined })).rejects.toMatchObject({ field: 'maxActive' });
    expect(fake.log).toEqual([]);
  });

  it('never puts the private key into an error', async () => {
    const fake = fakeCertificateApi();
    let leakedKey = '';
    const err = (await rotateCertificate({
      api: fake.api, role: 3, entity: 7, clock,
      verify: async ({ privateKeyPem }) => {
        leakedKey = privateKeyPem;
        throw new Error(`server echoed ${privateKeyPem}`);
      },
    }).catch((e: unknown) => e)) as Error;
    const body = leakedKey.split('\n')[1]!;
    expect(err.message).not.toContain(body);
    expect(err.message).toContain('[REDACTED PRIVATE KEY]');
  });
});
