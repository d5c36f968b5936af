import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { childLines } from '../../support/childLines';
import { transpileClosure } from './transpileClosure';

export const REPO = resolve(__dirname, '../../..');
export const SCOPES = ['restlets', 'rest_webservices'];

/**
 * A token endpoint for multi-process tests. Client credentials: one token per request, counted per tenant
 * (`/token/<tenant>`). Refresh: NetSuite public-client semantics (each refresh token works once and is replaced),
 * refused reuses counted. `hold` keeps answers back until released, so requests overlap whatever the start-up
 * times; `onRequest` sees which child (x-child header) sent each request.
 */
export class CountingTokenServer {
  readonly mints = new Map<string, number>();
  refreshes = 0;
  refused = 0;
  delayMs = 100;
  onRequest: ((child: string, grant: string) => void) | undefined;
  /** Answers to requests from these children are never sent (the child is about to be killed). */
  readonly blackhole = new Set<string>();
  private readonly live = new Map<string, string>();
  private generation = 0;
  private readonly server: Server = createServer((req, res) => void this.handle(req, res));

  async listen(): Promise<string> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((ok) => this.server.close(() => ok()));
  }

  /** The refresh token the server accepts next for `tenant`. */
  seedRefreshToken(tenant: string): string {
    const token = `rt-${tenant}-${++this.generation}`;
    this.live.set(tenant, token);
    return token;
  }

  /** The refresh token the server would accept now for `tenant`. */
  liveRefreshToken(tenant: string): string | undefined {
    return this.live.get(tenant);
  }

  mintCount(tenant: string): number {
    return this.mints.get(tenant) ?? 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    const child = String(req.headers['x-child'] ?? '');
    const grant = form.get('grant_type') ?? '';
    this.onRequest?.(child, grant);
    if (this.blackhole.has(child)) return; // never answered; the socket dies with the child
    await new Promise((r) => setTimeout(r, this.delayMs));
    res.setHeader('content-type', 'application/json');
    if (grant === 'client_credentials') {
      const tenant = decodeURIComponent(req.url!.split('/').pop()!);
      const n = (this.mints.get(tenant) ?? 0) + 1;
      this.mints.set(tenant, n);
      res.end(JSON.stringify({ access_token: `cc-${tenant}-${n}`, expires_in: '3600', token_type: 'bearer' }));
      return;
    }
    const presented = form.get('refresh_token') ?? '';
    const tenant = [...this.live].find(([, token]) => token === presented)?.[0];
    if (grant !== 'refresh_token' || tenant === undefined) {
      this.refused++;
      res.statusCode = 400;
      res.end(JSON.stringify({ error: 'invalid_grant' }));
      return;
    }
    this.refreshes++;
    const next = this.seedRefreshToken(tenant);
    res.end(JSON.stringify({ access_token: `at-${next}`, refresh_token: next, expires_in: '3600', token_type: 'bearer' }));
  }
}

export interface ChildConfig {
  store: 'postgres' | 'redis' | 'sqlite';
  url: string;
  redisLock?: string;
  leaseMs?: number;
  baseUrl: string;
  grant: 'client_credentials' | 'authorization_code';
  tenants: string[];
  calls: number;
}

export interface RoundResult {
  tokens: Record<string, string[]>;
  errors: string[];
  tokenRequests: number;
  fatal?: string;
}

/** Transpiles the token layer once per test file into `dir/lib` for the children. */
export function buildChildLib(dir: string): string {
  const lib = join(dir, 'lib');
  transpileClosure(
    ['tokens/manager.ts', 'tokens/tokenLock.ts', 'tokens/redisTokenLock.ts', 'store/postgres.ts', 'store/redis.ts', 'store/sqlite.ts', 'authcode.ts', 'clientCredentials.ts', 'http/transport.ts'].map(
      (f) => join(REPO, 'client/src', f),
    ),
    join(REPO, 'client/src'),
    lib,
  );
  return lib;
}

export const privateKeyPem = (): string =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export class TokenChild {
  readonly pid: string;
  private readonly lines: { next(): Promise<string> };
  private constructor(readonly process: ChildProcessWithoutNullStreams) {
    this.pid = String(process.pid);
    this.lines = childLines(process);
  }

  static async start(lib: string, config: ChildConfig, env: NodeJS.ProcessEnv): Promise<TokenChild> {
    const child = new TokenChild(
      spawn(process.execPath, [join(REPO, 'test/support/scaleoutTokenChild.js'), lib, JSON.stringify(config)], {
        env: { ...process.env, NODE_PATH: join(REPO, 'node_modules'), ...env },
      }),
    );
    const first = await child.lines.next();
    if (first !== 'ready') throw new Error(`child did not start: ${first}`);
    return child;
  }

  /** Sends "go" and resolves with the round's result. */
  async round(): Promise<RoundResult> {
    this.process.stdin.write('go\n');
    return this.result();
  }

  go(): void {
    this.process.stdin.write('go\n');
  }

  async result(): Promise<RoundResult> {
    const parsed = JSON.parse(await this.lines.next()) as RoundResult;
    if (parsed.fatal) throw new Error(parsed.fatal);
    return parsed;
  }

  stop(): void {
    if (this.process.exitCode === null) this.process.stdin.end();
  }

  kill(): Promise<void> {
    return new Promise((ok) => {
      if (this.process.exitCode !== null || this.process.signalCode !== null) return ok();
      this.process.once('exit', () => ok());
      this.process.kill('SIGKILL');
    });
  }
}
