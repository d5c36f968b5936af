/** `suitebridge api-keys create|list|revoke` on the service's store: the key printed once, stored hashed. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../client/src/onboarding/cli/common';
import { ApiKeyStore } from '../../service/src/api/apiKeys';
import { apiKeySecret } from './support/apiKeySecret';
import { runCli } from '../client/_cliCapture';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await runCli(args);
  return { code, out: stdout, err: stderr };
}

describe('suitebridge api-keys', () => {
  let dir: string;
  let storePath: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-api-keys-'));
    storePath = join(dir, 'tokens.db');
    await openStore({ store: storePath }, { create: true }).close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('create prints the key once; list never shows it; revoke stops it working', async () => {
    const created = await run(['api-keys', 'create', '--name', 'billing', '--scope', 'proxy', '--scope', 'tenants:read', '--tenant', 'acme', '--store', storePath, '--json']);
    expect(created.code).toBe(0);
    const { key, record } = JSON.parse(created.out) as { key: string; record: { id: string; scopes: string[]; tenants: string[] } };
    expect(record).toMatchObject({ scopes: ['proxy', 'tenants:read'], tenants: ['acme'] });
    const secret = apiKeySecret(key);
    expect(readFileSync(storePath).includes(Buffer.from(secret))).toBe(false);

    const listed = await run(['api-keys', 'list', '--store', storePath]);
    expect(listed.out).toContain(record.id);
    expect(listed.out).toContain('active');
    expect(listed.out).not.toContain(secret);

    const store = openStore({ store: storePath });
    try {
      expect(await new ApiKeyStore(store).verify(key)).toMatchObject({ id: record.id });
    } finally {
      await store.close();
    }
    expect((await run(['api-keys', 'revoke', record.id, '--store', storePath])).code).toBe(0);
    const after = openStore({ store: storePath });
    try {
      expect(await new ApiKeyStore(after).verify(key)).toBeUndefined();
    } finally {
      await after.close();
    }
    expect((await run(['api-keys', 'list', '--store', storePath])).out).toContain('revoked');
  });

  it('refuses a key without scope, an unknown scope, and revoking an unknown id (exit 2)', async () => {
    expect((await run(['api-keys', 'create', '--name', 'x', '--store', storePath])).code).toBe(2);
    const unknown = await run(['api-keys', 'create', '--name', 'x', '--scope', 'admin', '--store', storePath]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Unknown scope "admin"');
    expect((await run(['api-keys', 'revoke', '0123456789abcdef', '--store', storePath])).code).toBe(2);
  });
});
