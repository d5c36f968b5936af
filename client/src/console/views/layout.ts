import { html, type SafeHtml } from '../html';
import type { ConsoleSession } from '../session';

export interface LayoutInput {
  title: string;
  body: SafeHtml;
  flash?: ConsoleSession['flash'];
  /** Adds `<noscript>` auto-refresh and the polling script (progress pages). */
  poll?: { statusUrl: string; revision: string };
  /**
   * Moves on to this same-origin path at once (meta refresh, plus a link). Used after a cross-site arrival
   * (NetSuite's redirect, a link from an e-mail): the next request is then same-site and carries the SameSite=Strict cookie.
   */
  refreshTo?: string;
  nav?: Navigation;
}

export type Navigation = { kind: 'operator'; csrfToken: string } | { kind: 'tenant' } | { kind: 'anonymous' };

function navigation(nav: Navigation | undefined): SafeHtml {
  if (nav?.kind === 'operator') {
    return html`<nav><a href="/tenants">Tenants</a><a href="/links">Onboarding links</a>${postForm(
      '/logout',
      nav.csrfToken,
      html`<button type="submit" class="nav-button">Sign out</button>`,
    )}</nav>`;
  }
  if (nav?.kind === 'tenant') return html`<nav><a href="/">Onboarding</a></nav>`;
  return html`<nav><a href="/login">Operator sign-in</a></nav>`;
}

function flashBlock(flash: ConsoleSession['flash']): SafeHtml {
  if (!flash) return html``;
  return html`<div class="notice notice-${flash.level}" role="status"><p>${flash.text}</p>${
    flash.remedy ? html`<p class="remedy">${flash.remedy}</p>` : ''
  }</div>`;
}

export function layout(input: LayoutInput): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${input.title} · SuiteBridge</title>
<link rel="stylesheet" href="/assets/console.css">
${input.refreshTo ? html`<meta http-equiv="refresh" content="0; url=${input.refreshTo}">` : ''}
${input.poll ? html`<noscript><meta http-equiv="refresh" content="2"></noscript>
<script src="/assets/console.js" defer></script>` : ''}
</head>
<body${input.poll ? html` data-status-url="${input.poll.statusUrl}" data-status-revision="${input.poll.revision}"` : ''}>
<header class="topbar">
  <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">SB</span> SuiteBridge</a>
  ${navigation(input.nav)}
</header>
<main>
${flashBlock(input.flash)}
${input.body}
</main>
<footer class="footer">SuiteBridge console</footer>
</body>
</html>
`;
}

/** A POST form with the session's CSRF token. */
export function postForm(action: string, csrfToken: string, inner: SafeHtml, className = 'inline-form'): SafeHtml {
  return html`<form method="post" action="${action}" class="${className}"><input type="hidden" name="_csrf" value="${csrfToken}">${inner}</form>`;
}
