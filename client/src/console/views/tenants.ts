import { html, type SafeHtml } from '../html';
import type { TenantSummary, TenantView } from '../backend';
import { expiryLevel, formatLogTime, formatTime, type ExpiryLevel } from '../format';
import { postForm } from './layout';

const EXPIRY_TEXT: Record<ExpiryLevel, { badge: string; cls: string }> = {
  ok: { badge: 'Valid', cls: 'badge-ok' },
  '60d': { badge: 'Expires within 60 days', cls: 'badge-info' },
  '30d': { badge: 'Expires within 30 days', cls: 'badge-warn' },
  '14d': { badge: 'Expires within 14 days', cls: 'badge-error' },
  expired: { badge: 'Expired', cls: 'badge-error' },
};

function tenantHref(tenant: string): string {
  return `/tenants/${encodeURIComponent(tenant)}`;
}

function expiryBadge(validUntil: string, now: number): SafeHtml {
  const { daysLeft, level } = expiryLevel(validUntil, now);
  const text = EXPIRY_TEXT[level];
  const days = level === 'expired' ? '' : ` · ${daysLeft} days left`;
  return html`<span class="badge ${text.cls}" data-expiry-level="${level}">${text.badge}${days}</span>`;
}

export function tenantsPage(input: { tenants: TenantSummary[]; now: number }): SafeHtml {
  const rows = input.tenants.map(
    (t) => html`<tr><td><a href="${tenantHref(t.tenant)}">${t.tenant}</a></td><td>${t.accountId}</td>
<td>${t.complete ? html`<span class="badge badge-ok">Connected</span>` : html`<span class="badge badge-info">Onboarding</span>`}</td>
<td>${t.certificateValidUntil ? expiryBadge(t.certificateValidUntil, input.now) : '—'}</td></tr>`,
  );
  return html`<section class="card">
<h1>Tenants</h1>
${input.tenants.length === 0
    ? html`<p class="muted">No tenant yet. <a href="/links">Create an onboarding link</a> for a customer account to start one.</p>`
    : html`<table class="table"><thead><tr><th>Tenant</th><th>Account</th><th>Status</th><th>Certificate</th></tr></thead><tbody>${rows}</tbody></table>`}
</section>`;
}

function expiryWarning(validUntil: string, now: number): SafeHtml {
  const { daysLeft, level } = expiryLevel(validUntil, now);
  if (level === 'ok') return html``;
  const text =
    level === 'expired'
      ? 'The certificate has expired: machine-to-machine calls fail until you rotate it.'
      : `The certificate expires in ${daysLeft} days. Rotate it now; rotation keeps the old one working until the new one is verified.`;
  const cls = level === '60d' ? 'notice-info' : level === '30d' ? 'notice-warn' : 'notice-error';
  return html`<div class="notice ${cls}" role="alert" data-expiry-warning="${level}"><p>${text}</p></div>`;
}

export function tenantPage(input: { tenant: TenantView; csrfToken: string; now: number }): SafeHtml {
  const t = input.tenant;
  const cert = t.certificate;
  const base = tenantHref(t.tenant);
  return html`<section class="card">
<p class="eyebrow">Tenant</p>
<h1>${t.companyName ?? t.tenant}</h1>
${cert ? expiryWarning(cert.validUntil, input.now) : html`<div class="notice notice-warn"><p>No certificate yet: finish onboarding first.</p></div>`}
<dl class="facts-grid">
<dt>Account</dt><dd>${t.accountId}${t.environment ? html` <span class="muted">(${t.environment})</span>` : ''}</dd>
<dt>Integration user</dt><dd>${t.integrationUser ?? '—'}</dd>
<dt>Role</dt><dd>${t.appRole ?? '—'}</dd>
<dt>Onboarded</dt><dd>${formatTime(t.onboardedAt)}</dd>
<dt>Certificate</dt><dd>${cert ? html`<code>${cert.certificateId}</code> · ${cert.algorithm}` : '—'}</dd>
<dt>Certificate expires</dt><dd>${cert ? html`${formatTime(cert.validUntil)} ${expiryBadge(cert.validUntil, input.now)}` : '—'}</dd>
<dt>Last token</dt><dd data-field="last-token">${formatTime(t.lastTokenAt)}</dd>
</dl>
<div class="actions">
${postForm(`${base}/test`, input.csrfToken, html`<button type="submit" class="button primary">Test connection</button>`)}
${postForm(`${base}/rotate`, input.csrfToken, html`<button type="submit" class="button">Rotate certificate</button>`)}
</div>
</section>
<section class="card">
<h2>Audit log <span class="muted">(times in UTC)</span></h2>
${t.auditLog.length === 0
    ? html`<p class="muted">Nothing recorded yet.</p>`
    : html`<ol class="events">${t.auditLog.map((e) => html`<li class="event"><time>${formatLogTime(e.at)}</time><span class="event-message">${e.message}</span></li>`)}</ol>`}
</section>`;
}
