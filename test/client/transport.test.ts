import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultFetch, isUnderLocalhost } from '../../client/src/http/transport';

let server: Server;
let port: number;
const seen: Array<{ method: string | undefined; url: string | undefined; headers: IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(302, { location: '/next', 'content-type': 'text/plain' }).end('moved');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => { await new Promise((resolve) => server.close(resolve)); });

describe('defaultFetch: *.localhost connects to loopback (RFC 6761), keeping the name in the Host header', () => {
  test('a NetSuite-style emulator host reaches a server listening on 127.0.0.1 only', async () => {
    const res = await defaultFetch(`http://1234567-sb1.suitetalk.localhost:${port}/services/rest/auth/oauth2/v1/token?x=1`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token', redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/next');
    expect(await res.text()).toBe('moved');
    expect(seen.at(-1)).toMatchObject({
      method: 'POST', url: '/services/rest/auth/oauth2/v1/token?x=1', body: 'grant_type=refresh_token',
      headers: expect.objectContaining({ host: `1234567-sb1.suitetalk.localhost:${port}` }),
    });
  });
  test('a URL object and a timeout signal are honoured', async () => {
    const res = await defaultFetch(new URL(`http://1234567.restlets.localhost:${port}/app/site/hosting/restlet.nl`), { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(302);
    expect(seen.at(-1)?.headers.host).toBe(`1234567.restlets.localhost:${port}`);
  });
  test('other names go to the platform fetch untouched', async () => {
    const platform = globalThis.fetch;
    const calls: unknown[] = [];
    globalThis.fetch = (async (input: unknown) => { calls.push(input); return new Response('ok'); }) as typeof fetch;
    try {
      await defaultFetch('https://1234567.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token');
      await defaultFetch(`http://127.0.0.1:${port}/x`);
      await defaultFetch(`http://localhost:${port}/y`);
    } finally {
      globalThis.fetch = platform;
    }
    expect(calls).toEqual(['https://1234567.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token', `http://127.0.0.1:${port}/x`, `http://localhost:${port}/y`]);
  });
  test.each([
    ['1234567.app.localhost', true], ['X.LOCALHOST.', true],
    ['localhost', false], ['localhost.example.com', false], ['notlocalhost', false], ['127.0.0.1', false],
  ])('isUnderLocalhost(%j) = %j', (name, expected) => {
    expect(isUnderLocalhost(name)).toBe(expected);
  });
});
