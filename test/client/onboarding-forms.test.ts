import { createServer, type Server } from 'node:http';
import { startCallbackServer } from '../../client/src/onboarding/callbackServer';
import { driveAuthorization, installBundleViaPage } from '../../client/src/onboarding/formDriver';
import { generateLoopbackCertificate } from '../../client/src/tls/loopbackCertificate';
import { decodeEntities, parseForms } from '../../client/src/onboarding/htmlForms';
import { ProgressPrinter } from '../../client/src/onboarding/progress';

describe('parseForms', () => {
  it('reads action, method, hidden/visible inputs, selects and buttons', () => {
    const html = `<html><body>
      <form method="post" action="/login?x=1&amp;y=2">
        <input type="hidden" name="flow" value="a&quot;b">
        <input id="email" name="email" type="email" value="">
        <input name="password" type="password" required>
        <input type="checkbox" name="remember">
        <input type="checkbox" name="terms" checked>
        <select name="role"><option value="3">Administrator</option><option value="1001" selected>Integration</option></select>
        <button type="submit" name="action" value="allow">Allow</button>
        <button type="submit" name="action" value="deny">Deny</button>
        <button type="button">Help</button>
      </form>
      <form><input type="submit" value="Go"></form></body></html>`;
    const [form, second] = parseForms(html);
    expect(form).toEqual({
      action: '/login?x=1&y=2',
      method: 'POST',
      fields: [
        { name: 'flow', value: 'a"b', type: 'hidden' },
        { name: 'email', value: '', type: 'email' },
        { name: 'password', value: '', type: 'password' },
        { name: 'terms', value: 'on', type: 'checkbox' },
      ],
      selects: [{ name: 'role', options: [{ value: '3', label: 'Administrator', selected: false }, { value: '1001', label: 'Integration', selected: true }] }],
      buttons: [
        { name: 'action', value: 'allow', label: 'Allow' },
        { name: 'action', value: 'deny', label: 'Deny' },
      ],
    });
    expect(second).toMatchObject({ method: 'GET', action: undefined, buttons: [{ value: 'Go', label: 'Go' }] });
  });

  it('decodes numeric and named entities', () => {
    expect(decodeEntities('&lt;a&gt; &#39;x&#x27; &amp;amp; &unknown;')).toBe("<a> 'x' &amp; &unknown;");
  });
});

describe('form driver', () => {
  let server: Server;
  let base: string;
  const seen: { method: string; path: string; body: string; cookie: string | undefined }[] = [];
  let callbackBase = 'http://127.0.0.1:8899';

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        seen.push({ method: req.method ?? '', path: url.pathname, body, cookie: req.headers.cookie });
        const form = new URLSearchParams(body);
        if (url.pathname === '/authorize' && req.method === 'GET') {
          res.end('<form method="post"><input type="hidden" name="flow" value="f1"><input name="email" type="email"><input name="password" type="password"><button type="submit">Log In</button></form>');
        } else if (url.pathname === '/authorize' && form.get('password') === 'pw') {
          res.setHeader('set-cookie', 'JSESSIONID=s1; HttpOnly; SameSite=Lax');
          res.end('<form method="post" action="/consent"><input type="hidden" name="flow" value="f1"><select name="role"><option value="1">A</option><option value="3">Admin</option></select><button type="submit" name="action" value="deny">Deny</button><button type="submit" name="action" value="allow">Allow</button></form>');
        } else if (url.pathname === '/consent' && req.headers.cookie === 'JSESSIONID=s1' && form.get('action') === 'allow') {
          res.writeHead(302, { location: `${callbackBase}/callback?code=c1&state=st&role=${form.get('role')}` }).end();
        } else if (url.pathname === '/bundle' && req.method === 'GET') {
          res.end(req.headers.cookie ? '<form method="post"><input type="hidden" name="op" value="install"><button type="submit">Install</button></form>' : '<form method="post"><input type="hidden" name="op" value="login"><input name="email" type="email"><input name="password" type="password"><button type="submit" name="action" value="login">Log In</button></form>');
        } else if (url.pathname === '/bundle' && form.get('op') === 'login') {
          res.writeHead(303, { location: '/bundle', 'set-cookie': 'JSESSIONID=s2' }).end();
        } else if (url.pathname === '/bundle' && form.get('op') === 'install') {
          res.end('<p>Bundle 512345 was installed.</p><form method="post"><input type="hidden" name="op" value="uninstall"><button type="submit">Uninstall</button></form>');
        } else {
          res.writeHead(401).end('<p class="error">Invalid email or password</p>');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('logs in, picks the role, allows, and stops at the redirect to the callback', async () => {
    seen.length = 0;
    const callback = await driveAuthorization(`${base}/authorize`, 'http://127.0.0.1:8899/callback', { email: 'a@b.c', password: 'pw', role: 3 });
    expect(callback).toBe('http://127.0.0.1:8899/callback?code=c1&state=st&role=3');
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /authorize', 'POST /authorize', 'POST /consent']);
    expect(new URLSearchParams(seen[1]?.body)).toEqual(new URLSearchParams({ flow: 'f1', email: 'a@b.c', password: 'pw' }));
    expect(new URLSearchParams(seen[2]?.body).get('action')).toBe('allow');
  });

  it('follows the redirect to the https callback server, trusting exactly its throwaway certificate', async () => {
    const callbackServer = await startCallbackServer('https://127.0.0.1:0/callback');
    callbackBase = `https://127.0.0.1:${callbackServer.port}`;
    try {
      const visits: { method: string; url: string; status: number }[] = [];
      const creds = { email: 'a@b.c', password: 'pw', role: 3 };
      const landed = await driveAuthorization(`${base}/authorize`, callbackServer.redirectUri, creds, { visits, followCallback: { certificatePem: callbackServer.certificate.pem } });
      expect(landed).toBe(`${callbackBase}/callback?code=c1&state=st&role=3`);
      await expect(callbackServer.next('st')).resolves.toBe(landed);
      expect(visits.at(-1)).toEqual({ method: 'GET', url: `${callbackBase}/callback`, status: 200 });
      // Pinned to that certificate: another self-signed one is not trusted, and nothing was relaxed globally.
      const other = await generateLoopbackCertificate();
      await expect(driveAuthorization(`${base}/authorize`, callbackServer.redirectUri, creds, { followCallback: { certificatePem: other.cert } })).rejects.toThrow();
      await expect(fetch(`${callbackBase}/callback?state=x&code=y`)).rejects.toThrow();
    } finally {
      callbackBase = 'http://127.0.0.1:8899';
      await callbackServer.close();
    }
  });

  it('fails with the page text when the login is refused', async () => {
    await expect(driveAuthorization(`${base}/authorize`, 'http://127.0.0.1:8899/callback', { email: 'a@b.c', password: 'wrong' })).rejects.toThrow(/stopped at \/authorize \(HTTP 401\).*: Invalid email or password/);
  });

  it('installs through the bundle page after logging in', async () => {
    seen.length = 0;
    const text = await installBundleViaPage(`${base}/bundle`, { email: 'a@b.c', password: 'pw' });
    expect(text).toMatch(/Bundle 512345 was installed/);
    expect(seen.map((s) => `${s.method} ${s.path} ${new URLSearchParams(s.body).get('op') ?? ''}`.trim())).toEqual(['GET /bundle', 'POST /bundle login', 'GET /bundle', 'POST /bundle install']);
  });
});

describe('ProgressPrinter', () => {
  it('prints plain lines and never a token-looking string', () => {
    let text = '';
    const printer = new ProgressPrinter('plain', { write: (t) => (text += t) });
    printer.handle({ type: 'step', tenant: 't', step: 'bundle', status: 'failed', at: '', elapsedMs: 5, summary: 's', error: { code: 'X', message: 'bad Bearer abcdefghijklmnop', remedy: 'do it' } });
    printer.handle({ type: 'waiting', tenant: 't', step: 'bundle', reason: 'bundle', installUrl: 'https://x/app/bundler/installbundle.nl?id=512345', failedChecks: [{ id: 'features', ok: false, detail: 'off', remedy: 'turn on' }], at: '' });
    expect(text).toBe(
      '✗ 2/4 Bundle installation (5 ms) — bad Bearer [REDACTED]\n    fix: do it\n' +
        '    Install bundle 512345 from: https://x/app/bundler/installbundle.nl?id=512345\n    ✗ features: off\n      fix: turn on\n',
    );
  });

  it('on a terminal, a leftover-authorization warning gets its own line instead of the spinner line', () => {
    let text = '';
    const printer = new ProgressPrinter('tty', { write: (t) => (text += t) });
    printer.handle({ type: 'step', tenant: 't', step: 'authorize', status: 'running', at: '', summary: '' });
    printer.handle({ type: 'progress', tenant: 't', step: 'authorize', action: 'leftover-authorization', message: '⚠ revoke it at Setup', at: '' });
    printer.stop();
    expect(text).toContain('    ⚠ revoke it at Setup\n');
  });

  it('writes one JSON object per event with --json', () => {
    const lines: string[] = [];
    const printer = new ProgressPrinter('json', { write: (t) => lines.push(t) });
    printer.handle({ type: 'completed', tenant: 't', at: '2026-11-22T00:00:00.000Z' });
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([{ event: 'completed', tenant: 't', at: '2026-11-22T00:00:00.000Z' }]);
  });
});
