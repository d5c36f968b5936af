import { html, type SafeHtml } from '../html';
import { UNKNOWN_STATUS, type FleetPage, type FleetRow } from '../fleet';
import { expiryLevel, formatTime, type ExpiryLevel } from '../format';

const STATUS_BADGE: Record<string, string> = {
  healthy: 'badge-ok',
  degraded: 'badge-warn',
  needs_certificate: 'badge-error',
  needs_reconsent: 'badge-error',
  disconnected: 'badge-error',
};

/** "needs_certificate" → "Needs certificate"; no status record → "Unknown / not checked yet". */
export function statusLabel(status: string | null): string {
  if (status === null || status === UNKNOWN_STATUS) return 'Unknown / not checked yet';
  const words = status.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function statusBadge(status: string | null): SafeHtml {
  const value = status ?? UNKNOWN_STATUS;
  return html`<span class="badge ${STATUS_BADGE[value] ?? 'badge-info'}" data-status="${value}">${statusLabel(status)}</span>`;
}

const EXPIRY_TEXT: Record<ExpiryLevel, { badge: string; cls: string }> = {
  ok: { badge: 'Valid', cls: 'badge-ok' },
  '60d': { badge: 'Expires within 60 days', cls: 'badge-info' },
  '30d': { badge: 'Expires within 30 days', cls: 'badge-warn' },
  '14d': { badge: 'Expires within 14 days', cls: 'badge-error' },
  expired: { badge: 'Expired', cls: 'badge-error' },
};

export function expiryBadge(validUntil: string, now: number): SafeHtml {
  const { daysLeft, level } = expiryLevel(validUntil, now);
  const text = EXPIRY_TEXT[level];
  const days = level === 'expired' ? '' : ` · ${daysLeft} days left`;
  return html`<span class="badge ${text.cls}" data-expiry-level="${level}">${text.badge}${days}</span>`;
}

export function tenantHref(tenant: string): string {
  return `/tenants/${encodeURIComponent(tenant)}`;
}

export interface FleetFilter {
  status?: string;
  search?: string;
}

/** The list URL for a filter and page; empty parts are left out. */
export function fleetHref(filter: FleetFilter, page = 1): string {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.search) params.set('q', filter.search);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/tenants?${query}` : '/tenants';
}

function row(r: FleetRow, now: number): SafeHtml {
  return html`<tr data-tenant="${r.tenant}"><td><a href="${tenantHref(r.tenant)}">${r.tenant}</a></td><td>${r.accountId}</td>
<td>${statusBadge(r.status)}${r.onboarding !== 'completed' ? html` <span class="badge badge-info">Onboarding</span>` : ''}</td>
<td class="reason">${r.reason ?? (r.onboarding === 'completed' ? '' : 'Onboarding not finished')}</td>
<td>${r.certificateExpiresAt ? html`${formatTime(r.certificateExpiresAt).slice(0, 10)} ${expiryBadge(r.certificateExpiresAt, now)}` : '—'}</td>
<td>${formatTime(r.lastCheckAt)}</td><td>${formatTime(r.nextCheckAt)}</td></tr>`;
}

function filterForm(input: { page: FleetPage; statuses: readonly string[]; filter: FleetFilter }): SafeHtml {
  const { counts, fleetSize } = input.page;
  const options = [...input.statuses, UNKNOWN_STATUS].map(
    (s) => html`<option value="${s}"${input.filter.status === s ? html` selected` : ''}>${statusLabel(s)} (${counts[s] ?? 0})</option>`,
  );
  return html`<form method="get" action="/tenants" class="filter-form" role="search">
<label class="field"><span class="label">Status</span>
<select name="status"><option value="">All (${fleetSize})</option>${options}</select></label>
<label class="field"><span class="label">Tenant or account ID</span>
<input name="q" type="search" value="${input.filter.search ?? ''}" maxlength="100" autocomplete="off" placeholder="e.g. acme or 1234567"></label>
<button type="submit" class="button">Show</button>
${input.filter.status || input.filter.search ? html`<a href="/tenants">Clear</a>` : ''}
</form>`;
}

function pager(page: FleetPage, filter: FleetFilter): SafeHtml {
  if (page.pageCount <= 1) return html``;
  const link = (target: number, label: string, rel?: string) =>
    target < 1 || target > page.pageCount || target === page.page
      ? html`<span class="pager-off">${label}</span>`
      : html`<a href="${fleetHref(filter, target)}"${rel ? html` rel="${rel}"` : ''}>${label}</a>`;
  return html`<nav class="pager" aria-label="Pages">${link(1, '« First')}${link(page.page - 1, '‹ Previous', 'prev')}
<span class="pager-at" data-page="${page.page}" data-page-count="${page.pageCount}">Page ${page.page} of ${page.pageCount}</span>
${link(page.page + 1, 'Next ›', 'next')}${link(page.pageCount, 'Last »')}</nav>`;
}

export function fleetPage(input: { page: FleetPage; statuses: readonly string[]; filter: FleetFilter; now: number; statusesKnown: boolean }): SafeHtml {
  const { page, filter } = input;
  const first = (page.page - 1) * page.pageSize + 1;
  const summary =
    page.total === 0
      ? 'No tenant matches.'
      : `Showing ${first}–${first + page.rows.length - 1} of ${page.total}${filter.status || filter.search ? ` matching (${page.fleetSize} in all)` : ''}.`;
  return html`<section class="card wide">
<div class="card-head"><h1>Tenants</h1><a class="button primary" href="/links">Onboard an account</a></div>
${input.statusesKnown ? '' : html`<p class="muted">Connection statuses come from the SuiteBridge service (<code>suitebridge serve</code>); this console was started without it, so they show as unknown.</p>`}
${page.fleetSize === 0
    ? html`<p class="muted">No tenant yet. <a href="/links">Create an onboarding link</a> for a customer account to start one.</p>`
    : html`${filterForm(input)}
<p class="muted" data-fleet-summary data-total="${page.total}">${summary}</p>
${page.rows.length > 0
    ? html`<table class="table fleet"><thead><tr><th>Tenant</th><th>Account</th><th>Status</th><th>Reason</th><th>Certificate expires</th><th>Last check</th><th>Next check</th></tr></thead>
<tbody>${page.rows.map((r) => row(r, input.now))}</tbody></table>`
    : ''}
${pager(page, filter)}`}
</section>`;
}
