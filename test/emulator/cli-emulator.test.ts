import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { main } from '../../client/src/cli/main';
import { hostFetch } from './support/emulator';

function captureStreams() {
  const out: string[] = [];
  const err: string[] = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => { out.push(String(c)); return true; });
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => { err.push(String(c)); return true; });
  return { out, err, restore: () => { o.mockRestore(); e.mockRestore(); } };
}

describe('suitebridge emulator [--port N] [--config file.json] [--data-dir DIR] [--seed-out file.json]', () => {
  test('starts on a random port, writes the seed, prints banner and URL without secrets, stops on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbr-cli-'));
    const seedOut = join(dir, 'seed.json');
    const io = captureStreams();
    try {
      const running = main(['node', 'suitebridge', 'emulator', '--port', '0', '--seed-out', seedOut, '--data-dir', join(dir, 'data')]);
      for (let i = 0; i < 100 && !existsSync(seedOut); i++) await sleep(50);
      const seed = JSON.parse(readFileSync(seedOut, 'utf8'));
      const res = await hostFetch(new URL('/.well-known/openid-configuration', seed.accounts[0].hosts.suitetalk));
      expect(res.status).toBe(200);
      expect(seed.accounts[0].hosts.suitetalk).toBe(`http://1234567.suitetalk.localhost:${new URL(seed.baseUrl).port}`);
      const stderr = io.err.join('');
      expect(stderr).toContain('SuiteBridge emulator — for development and testing only, never production');
      expect(stderr).toContain(seed.baseUrl);
      expect(stderr).toContain('/__emulator/seed');
      expect(stderr).toContain(`${seed.accounts[0].hosts.app}/app/login/oauth2/authorize.nl?`);
      expect(stderr).toContain(`curl -s ${seed.accounts[0].hosts.suitetalk}/services/rest/auth/oauth2/v1/token`);
      const printed = stderr + io.out.join('');
      expect(printed).not.toContain(seed.integrations[1].clientSecret);
      expect(printed).not.toContain(seed.users[0].password);
      expect(io.out.join('')).toContain(`Emulator running at ${seed.baseUrl}`);
      process.emit('SIGINT');
      expect(await running).toBe(0);
      await expect(fetch(new URL('/__emulator/seed', seed.baseUrl))).rejects.toThrow();
    } finally {
      io.restore();
    }
  });
  test('a bad --port → usage exit code 2 naming the flag', async () => {
    const io = captureStreams();
    try {
      expect(await main(['node', 'suitebridge', 'emulator', '--port', 'abc'])).toBe(2);
      expect(io.err.join('')).toContain('--port must be a number from 0 to 65535');
    } finally {
      io.restore();
    }
  });
  test('a bad --config → exit code 2 with the exact path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbr-cli-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ integrations: [{ name: 'a', accountId: '1234567' }, { name: 'b', accountId: '1234567', redirectUris: ['x'] }] }));
    const io = captureStreams();
    try {
      expect(await main(['node', 'suitebridge', 'emulator', '--port', '0', '--config', file])).toBe(2);
      expect(io.err.join('')).toContain('integrations[1].redirectUris[0] of record "b" is not an absolute URI');
    } finally {
      io.restore();
    }
  });
});
