import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveRedis, TestRedis } from '../../bench/redisProcess';

export const REDIS_INSTALL_HELP =
  'redis-server was not found on PATH. Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis). ' +
  'CI installs it in .ci/run; these tests never skip.';

/** A private redis-server on a free port, without persistence, its files in a temp dir; fails (never skips) without Redis. */
export async function startRedis(): Promise<{ redis: TestRedis; destroy(): Promise<void> }> {
  if (!haveRedis) throw new Error(REDIS_INSTALL_HELP);
  const dir = mkdtempSync(join(tmpdir(), 'sbr-redis-'));
  const redis = await TestRedis.start(dir, ['--appendonly', 'no', '--save', '']);
  return {
    redis,
    async destroy() {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
