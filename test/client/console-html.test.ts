import { escapeHtml, html, safeUrl, SafeHtml } from '../../client/src/console/html';

describe('escapeHtml', () => {
  it('escapes every character that can end text or an attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'\`=`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;&#61;');
  });

  it('renders null and undefined as empty and numbers as text', () => {
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });

  it('escapes an already escaped string again (no double-decoding trust)', () => {
    expect(escapeHtml('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
  });
});

describe('html template', () => {
  const hostile = [
    '<img src=x onerror=alert(1)>',
    '"><script>alert(document.cookie)</script>',
    "' onmouseover='alert(1)",
    '</textarea><svg onload=alert(1)>',
    '`${alert(1)}`',
  ];

  it.each(hostile)('escapes hostile text in content and attributes: %s', (input) => {
    const out = html`<p title="${input}">${input}</p>`.value;
    expect(out).not.toMatch(/<(img|script|svg)/i);
    expect(out).not.toMatch(/"\s*on\w+=/i);
    expect(out.startsWith('<p title="')).toBe(true);
    expect(out.endsWith('</p>')).toBe(true);
    // The attribute value contains no raw quote, so it cannot be closed early.
    const attr = /^<p title="([^"]*)">/.exec(out)?.[1];
    expect(attr).toBe(escapeHtml(input));
  });

  it('keeps nested html fragments and escapes arrays item by item', () => {
    const items = ['<a>', 'b'];
    const out = html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.value).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
  });

  it('drops false, null and undefined but prints 0', () => {
    expect(html`${false}${null}${undefined}${0}`.value).toBe('0');
  });

  it('does not trust plain strings that look like markup', () => {
    expect(html`${'<b>bold</b>'}`.value).toBe('&lt;b&gt;bold&lt;/b&gt;');
  });
});

describe('safeUrl', () => {
  it.each(['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>', 'vbscript:x', '//evil.example/x', 'not a url'])(
    'refuses %s',
    (url) => {
      expect(safeUrl(url)).toBe('#');
    },
  );

  it('keeps https, http and same-origin paths', () => {
    expect(safeUrl('https://1234567.app.netsuite.com/app/bundler/installbundle.nl?id=512345')).toBe(
      'https://1234567.app.netsuite.com/app/bundler/installbundle.nl?id=512345',
    );
    expect(safeUrl('http://127.0.0.1:4010/x')).toBe('http://127.0.0.1:4010/x');
    expect(safeUrl('/tenants/abc')).toBe('/tenants/abc');
  });
});
