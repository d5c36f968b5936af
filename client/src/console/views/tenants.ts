import { html, type SafeHtml } from '../html';
import type { TenantView } from '../backend';
import { expiryLevel, formatLogTime, formatTime } from '../format';
import { expiryBadge, tenantHref } from './fleet';
import { postForm } from './layout';
import { repairOutcome, type RepairShown } from './tenantHealth';

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

export function tenantPage(input: { tenant: TenantView; csrfToken: string; now: number; health?: SafeHtml; repair?: RepairShown }): SafeHtml {
  const t = input.tenant;
  const cert = t.certificate;
  const base = tenantHref(t.tenant);
  return html`<section class="card">
<p class="eyebrow"><a href="/tenants">← Back to the list</a> · Tenant</p>
<h1>${t.companyName ?? t.tenant}</h1>
${input.repair ? repairOutcome(input.repair) : ''}
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
${t.onboardedAt ? html`<a class="button" href="/another">Onboard another account</a>` : ''}
</div>
</section>
${input.health ?? ''}
<section class="card">
<h2>Audit log <span class="muted">(times in UTC)</span></h2>
${t.auditLog.length === 0
    ? html`<p class="muted">Nothing recorded yet.</p>`
    : html`<ol class="events">${t.auditLog.map((e) => html`<li class="event"><time>${formatLogTime(e.at)}</time><span class="event-message">${e.message}</span></li>`)}</ol>`}
</section>`;
}
