import { html, type SafeHtml } from '../html';
import type { ConsoleSession } from '../session';

export interface LayoutInput {
  title: string;
  body: SafeHtml;
  flash?: ConsoleSession['flash'];
  /** Adds `<noscript>` auto-refresh and the polling script (progress pages). */
  poll?: { statusUrl: string; revision: string };
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
${input.poll ? html`<noscript><meta http-equiv="refresh" content="2"></noscript>
<script src="/assets/console.js" defer></script>` : ''}
</head>
<body${input.poll ? html` data-status-url="${input.poll.statusUrl}" data-status-revision="${input.poll.revision}"` : ''}>
<header class="topbar">
  <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">SB</span> SuiteBridge</a>
  <nav><a href="/">Onboarding</a><a href="/tenants">Tenants</a></nav>
</header>
<main>
${flashBlock(input.flash)}
${input.body}
</main>
<footer class="footer">SuiteBridge console · runs on this computer only</footer>
</body>
</html>
`;
}

/** A POST form with the session's CSRF token. */
export function postForm(action: string, csrfToken: string, inner: SafeHtml, className = 'inline-form'): SafeHtml {
  return html`<form method="post" action="${action}" class="${className}"><input type="hidden" name="_csrf" value="${csrfToken}">${inner}</form>`;
}
