import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.SUITEBRIDGE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(__dirname, '..', '..', 'test-artifacts', 'browser');

/** Debian's chromium, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No browser at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium (or set SUITEBRIDGE_CHROMIUM).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A loopback port that was free a moment ago (the console must know it before the emulator registers its redirect URI). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const BUILT_RESTLET = join(__dirname, '..', '..', 'src', 'FileCabinet', 'SuiteScripts', 'suitebridge', 'sbr_rl_install_check.js');

/** The emulator runs the built RESTlets; without them every install check fails for the wrong reason. */
export function requireBuiltSuiteScripts(): void {
  if (!existsSync(BUILT_RESTLET)) {
    throw new Error(`The SuiteScript build is missing (${BUILT_RESTLET}). Run: npm run build:suitescript`);
  }
}

export function artifactsDir(): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return ARTIFACTS_DIR;
}

/** Removes the screenshots of earlier runs, so the folder shows this run only. */
export function clearArtifacts(): void {
  for (const name of readdirSync(artifactsDir())) {
    if (name.endsWith('.png')) rmSync(join(ARTIFACTS_DIR, name), { force: true });
  }
}
