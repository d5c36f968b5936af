import { html, safeUrl, type SafeHtml } from '../html';
import type { CertificateSlot, DeliveryView, FleetTenantDetail, RepairView } from '../fleet';
import type { IssuedOnboardingLink } from '../onboardingLinks';
import { formatLogTime, formatTime } from '../format';
import { postForm } from './layout';
import { expiryBadge, statusBadge, tenantHref } from './fleet';

const MAX_EVENTS = 20;
const MAX_DELIVERIES = 20;

/** What a Repair press did, shown above the tenant's facts. */
export interface RepairShown {
  view: RepairView;
  /** The console onboarding link issued for the customer's consent (shown once). */
  link?: IssuedOnboardingLink;
}

export function repairOutcome(shown: RepairShown): SafeHtml {
  const v = shown.view;
  switch (v.outcome) {
    case 'repaired':
      return html`<div class="notice notice-ok" role="status" data-repair-outcome="repaired"><p><strong>Repaired in place.</strong> ${v.message}</p></div>`;
    case 'healthy':
      return html`<div class="notice notice-ok" role="status" data-repair-outcome="healthy"><p><strong>Nothing to repair.</strong> ${v.message}</p></div>`;
    case 'consent_needed':
      return shown.link
        ? html`<div class="notice notice-warn" role="status" data-repair-outcome="consent_needed"><p><strong>Consent link issued.</strong> ${v.why}</p>
<p>Send this onboarding link to the customer's NetSuite administrator. It opens only account ${shown.link.accountId}, works until ${formatTime(shown.link.expiresAt)}, and is shown once:</p>
<output class="link-box" id="repair-link">${shown.link.url}</output>
<p class="remedy">When they have finished, press Repair again: it revokes the replaced certificate and checks the connection.</p></div>`
        : html`<div class="notice notice-warn" role="status" data-repair-outcome="consent_needed"><p><strong>Consent needed.</strong> ${v.why}</p>
<p>This tenant was not onboarded through this console, so the customer consents through its own sign-in page. Send them this link:</p>
<output class="link-box" id="repair-link">${v.authorizationUrl}</output>
<p class="remedy">When they have consented, press Repair again.</p></div>`;
    case 'bundle_needed':
      return html`<div class="notice notice-warn" role="status" data-repair-outcome="bundle_needed"><p><strong>Bundle needed.</strong> ${v.why}</p>
<p><a href="${safeUrl(v.installUrl)}" target="_blank" rel="noopener noreferrer">The bundle install page of the account</a>; press Repair again once it is installed.</p></div>`;
    default:
      return html`<div class="notice notice-error" role="status" data-repair-outcome="not_repairable"><p><strong>Not repaired.</strong> ${v.why}</p></div>`;
  }
}

function certificateRows(slots: CertificateSlot[], now: number): SafeHtml {
  if (slots.length === 0) return html`<p class="muted">No certificate recorded.</p>`;
  const use = { current: 'In use', rotating: 'Rotation in progress', standby: 'Standby (repairs in place)', standby_renewing: 'Standby being renewed', previous: 'Replaced' } as const;
  return html`<table class="table certificates"><thead><tr><th>Certificate</th><th>Use</th><th>Algorithm</th><th>Expires</th><th>Revoked</th></tr></thead><tbody>${slots.map(
    (c) => html`<tr data-certificate-use="${c.use}"><td><code>${c.certificateId}</code></td><td>${use[c.use]}</td><td>${c.algorithm ?? '—'}</td>
<td>${c.notAfter ? html`${formatTime(c.notAfter)}${c.use === 'previous' ? '' : html` ${expiryBadge(c.notAfter, now)}`}` : '—'}</td><td>${c.revokedAt ? formatTime(c.revokedAt) : c.use === 'previous' ? 'Not recorded' : '—'}</td></tr>`,
  )}</tbody></table>`;
}

function deliveryRows(deliveries: DeliveryView[], tenant: string, csrfToken: string, canRedeliver: boolean): SafeHtml {
  if (deliveries.length === 0) return html`<p class="muted">No webhook delivery for this tenant.</p>`;
  return html`<table class="table deliveries"><thead><tr><th>Created</th><th>Event</th><th>Endpoint</th><th>Attempts</th><th>Result</th><th></th></tr></thead><tbody>${deliveries
    .slice(0, MAX_DELIVERIES)
    .map(
      (d) => html`<tr data-delivery="${d.id}" data-delivered="${d.delivered ? 'yes' : 'no'}"><td>${formatLogTime(d.createdAt)}</td><td><code>${d.type}</code></td><td>${d.endpoint}</td><td>${d.attempts}</td>
<td>${d.delivered
        ? html`<span class="badge badge-ok">Delivered</span>`
        : html`<span class="badge badge-error">Failed</span> ${d.lastStatus !== undefined ? `HTTP ${d.lastStatus}` : ''}${d.lastError ? html` <span class="muted">${d.lastError}</span>` : ''}`}</td>
<td>${!d.delivered && canRedeliver
        ? postForm(`${tenantHref(tenant)}/deliveries/${encodeURIComponent(d.id)}/redeliver`, csrfToken, html`<button type="submit" class="link-button">Redeliver</button>`)
        : ''}</td></tr>`,
    )}</tbody></table>`;
}

/** The service's view of the tenant: status, certificates, Repair, events, webhook deliveries. */
export function tenantHealthSections(input: {
  detail: FleetTenantDetail;
  csrfToken: string;
  now: number;
  canRepair: boolean;
  canRedeliver: boolean;
}): SafeHtml {
  const { detail } = input;
  const r = detail.row;
  return html`<section class="card" data-section="health">
<h2>Connection ${statusBadge(r.status)}</h2>
<dl class="facts-grid">
<dt>Reason</dt><dd data-field="reason">${r.reason ?? (r.status === null ? 'The service has not checked this tenant yet.' : '—')}</dd>
${r.cause ? html`<dt>NetSuite cause</dt><dd><code>${r.cause}</code>${r.sandboxRefresh ? ' (sandbox refresh)' : ''}</dd>` : ''}
<dt>Since</dt><dd>${formatTime(r.since)}</dd>
<dt>Last check</dt><dd data-field="last-check">${formatTime(r.lastCheckAt)}</dd>
<dt>Next check</dt><dd>${formatTime(r.nextCheckAt)}</dd>
</dl>
${input.canRepair
    ? html`<div class="actions">${postForm(`${tenantHref(r.tenant)}/repair`, input.csrfToken, html`<button type="submit" class="button primary">Repair</button>`)}
<p class="hint">Checks the connection and repairs it in place, as <code>suitebridge tenants repair</code>: a new certificate, or a consent link for the customer.</p></div>`
    : ''}
<h2>Certificates</h2>
${certificateRows(detail.certificates, input.now)}
</section>
<section class="card" data-section="events">
<h2>Recent events <span class="muted">(times in UTC)</span></h2>
${detail.events.length === 0
    ? html`<p class="muted">No event recorded for this tenant.</p>`
    : html`<ol class="events">${detail.events.slice(0, MAX_EVENTS).map(
        (e) => html`<li class="event"><time>${formatLogTime(e.at)}</time><span class="event-message"><code>${e.type}</code> ${e.summary}</span></li>`,
      )}</ol>`}
<h2>Webhook deliveries</h2>
${deliveryRows(detail.deliveries, r.tenant, input.csrfToken, input.canRedeliver)}
</section>`;
}
