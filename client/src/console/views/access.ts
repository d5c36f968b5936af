import { html, type SafeHtml } from '../html';
import type { OnboardingLinkRecord } from '../onboardingLinks';
import { formatTime } from '../format';
import { postForm } from './layout';

export function loginPage(input: { csrfToken: string; error?: string }): SafeHtml {
  return html`<section class="card">
<p class="eyebrow">Operators</p>
<h1>Sign in</h1>
<p class="lead">Tenant pages, certificate actions and onboarding links need the operator password set when this console was started.</p>
${input.error ? html`<div class="notice notice-error" role="alert"><p>${input.error}</p></div>` : ''}
${postForm(
  '/login',
  input.csrfToken,
  html`<label class="field"><span class="label">Operator password</span>
<input type="password" name="password" autocomplete="current-password" required autofocus></label>
<button type="submit" class="button primary">Sign in</button>`,
  'stack-form',
)}
<p class="muted">Customers: open the onboarding link you received from your SuiteBridge contact instead.</p>
</section>`;
}

export function landingPage(): SafeHtml {
  return html`<section class="card">
<h1>SuiteBridge console</h1>
<p class="lead">To connect your NetSuite account, open the onboarding link you received. It is personal to your account and expires.</p>
<p><a class="button" href="/login">Operator sign-in</a></p>
</section>`;
}

function linkRow(link: OnboardingLinkRecord, csrfToken: string): SafeHtml {
  return html`<tr><td>${link.accountId}</td><td>${formatTime(link.createdAt)}</td><td>${formatTime(link.expiresAt)}</td>
<td>${postForm(`/links/${encodeURIComponent(link.accountId)}/retire`, csrfToken, html`<button type="submit" class="link-button">Retire</button>`)}</td></tr>`;
}

export function linksPage(input: { csrfToken: string; links: OnboardingLinkRecord[]; defaultTtlHours: number; issued?: { url: string; accountId: string; expiresAt: string } }): SafeHtml {
  return html`${input.issued ? html`<section class="card" data-issued-link>
<h1>Onboarding link for account ${input.issued.accountId}</h1>
<p class="lead">Send this link to the customer's NetSuite administrator through a channel you trust. It opens only this account's onboarding and works until ${formatTime(input.issued.expiresAt)}. It is shown once: SuiteBridge keeps only a hash of it.</p>
<output class="link-box" id="onboarding-link">${input.issued.url}</output>
</section>` : ''}
<section class="card">
<h1>Onboarding links</h1>
<p class="lead">A link lets a customer's administrator run the onboarding of one account, and nothing else: no tenant list, no other account, no certificate actions. A new link for an account replaces the previous one.</p>
${postForm(
  '/links',
  input.csrfToken,
  html`<label class="field"><span class="label">NetSuite account ID</span>
<input name="account" required autocomplete="off" placeholder="1234567 or 1234567_SB1"></label>
<label class="field"><span class="label">Valid for (hours)</span>
<input name="ttlHours" inputmode="numeric" autocomplete="off" value="${input.defaultTtlHours}"></label>
<button type="submit" class="button primary">Create link</button>`,
  'stack-form',
)}
<h2>Live links</h2>
${input.links.length === 0
    ? html`<p class="muted">No live link.</p>`
    : html`<table class="table"><thead><tr><th>Account</th><th>Created</th><th>Expires</th><th></th></tr></thead><tbody>${input.links.map((l) => linkRow(l, input.csrfToken))}</tbody></table>`}
</section>`;
}
