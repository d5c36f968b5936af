/** requestFetch: the service's NetSuite calls on undici's request, with the parts of fetch that NetSuiteHttp uses. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestFetch } from '../../client/src/http/requestFetch';
import { NetSuiteHttp } from '../../client/src/http/netsuiteHttp';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/empty') return void res.writeHead(204).end();
      if (req.url === '/moved') return void res.writeHead(302, { location: '/elsewhere' }).end();
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 5_000).unref();
      if (req.url === '/busy') return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error" : {"code" : "SSS_REQUEST_LIMIT_EXCEEDED", "message" : "x"}}');
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'], 'x-echo': String(req.headers['x-echo'] ?? '') });
      res.end(JSON.stringify({ method: req.method, body }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
});

describe('requestFetch', () => {
  it('sends method, headers and body; answers status, every header and the body once (clone for a second read)', async () => {
    const res = await requestFetch(`${base}/echo`, { method: 'POST', headers: new Headers({ 'x-echo': 'hi', 'content-type': 'text/plain' }), body: 'payload' });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get('x-echo')).toBe('hi');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const copy = res.clone();
    expect(await res.json()).toEqual({ method: 'POST', body: 'payload' });
    await expect(res.text()).rejects.toThrow(/already used/);
    expect(await copy.text()).toBe('{"method":"POST","body":"payload"}');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: 'payload', headers: { 'x-echo': 'hi', 'content-type': 'text/plain' } });
  });

  it('form bodies get their content type; 204 has an empty body; redirects are handed back, not followed', async () => {
    await requestFetch(new URL(`${base}/form`), { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) });
    expect(seen.at(-1)).toMatchObject({ body: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' } });
    const empty = await requestFetch(`${base}/empty`);
    expect([empty.status, await empty.text()]).toEqual([204, '']);
    const moved = await requestFetch(`${base}/moved`, { redirect: 'manual' });
    expect([moved.status, moved.headers.get('location')]).toEqual([302, '/elsewhere']);
  });

  it('an aborted signal ends the request; unsupported inputs are refused with a TypeError that names them', async () => {
    const controller = new AbortController();
    const pending = requestFetch(`${base}/slow`, { signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    await expect(requestFetch(new Request(`${base}/echo`))).rejects.toThrow(/URL string or URL object/);
    await expect(requestFetch(`${base}/echo`, { redirect: 'follow' })).rejects.toThrow(/never follows redirects/);
  });

  it('under NetSuiteHttp: an over-limit answer is read and retried like with fetch', async () => {
    let sleeps = 0;
    const http = new NetSuiteHttp({ accountId: '1234567', fetch: requestFetch, retry: { maxRetries: 1, sleep: async () => void sleeps++ } });
    const result = await http.request({ method: 'GET', url: `${base}/busy` });
    expect([result.status, result.attempts, sleeps]).toEqual([400, 2, 1]);
    expect(result.body).toContain('SSS_REQUEST_LIMIT_EXCEEDED');
  });
});
