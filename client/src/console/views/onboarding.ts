import { html, safeUrl, type SafeHtml } from '../html';
import type { InstallCheckView, InstallStatusView, OnboardingStatusView, ProgressEvent, StepNumber } from '../backend';
import { formatLogTime, formatTime } from '../format';
import { postForm } from './layout';
import { STEP_TITLES, stepper, stepStates } from './stepper';

function stepHeader(step: StepNumber): SafeHtml {
  return html`<p class="eyebrow">Step ${step} of 4</p><h1>${STEP_TITLES[step].title}</h1>`;
}

/** The account is the one the onboarding link is bound to: shown, not asked for. */
export function connectPage(input: { csrfToken: string; accountId: string; status?: OnboardingStatusView }): SafeHtml {
  const accountField = html`<p class="field-static"><span class="label">NetSuite account</span> <strong>${input.accountId}</strong></p>`;
  return html`${stepper(stepStates(input.status?.steps, 1), 1)}
<section class="card">
${stepHeader(1)}
<p class="lead">Sign in to NetSuite as an administrator and allow SuiteBridge to set itself up. This grants temporary access only: SuiteBridge revokes it at the end of step 4.</p>
${postForm(
  '/connect',
  input.csrfToken,
  html`${accountField}<button type="submit" class="button primary">Connect your NetSuite account</button>`,
  'stack-form',
)}
<ul class="facts">
<li>You will be sent to NetSuite's own sign-in and consent pages.</li>
<li>SuiteBridge never sees your password.</li>
</ul>
</section>`;
}

function checkRow(check: InstallCheckView): SafeHtml {
  return html`<li class="check ${check.ok ? 'check-ok' : 'check-failed'}" data-check="${check.id}">
<span class="check-icon" aria-hidden="true">${check.ok ? '✓' : '✕'}</span>
<div><p class="check-title">${check.id.replace(/_/g, ' ')} <span class="badge ${check.ok ? 'badge-ok' : 'badge-error'}">${check.ok ? 'OK' : 'Failed'}</span></p>
<p class="check-detail">${check.detail}</p>${check.ok || !check.remedy ? '' : html`<p class="remedy"><strong>What to do:</strong> ${check.remedy}</p>`}</div></li>`;
}

function checkSummary(install: InstallStatusView | undefined): SafeHtml {
  if (!install || install.ok === undefined) return html`<p class="muted">Not checked yet.</p>`;
  const failed = install.checks.filter((c) => !c.ok).length;
  if (install.ok) return html`<div class="notice notice-ok" role="status"><p>The bundle is installed and every check passed.</p></div>`;
  return html`<div class="notice notice-warn" role="status"><p>${failed} of ${install.checks.length} checks failed. Install the bundle, then check again.</p></div>`;
}

function integrationUserField(status: OnboardingStatusView): SafeHtml {
  const current = status.integrationEntity ?? status.consentingEntity;
  return html`<details class="advanced"><summary>Integration user${current !== undefined ? html` <span class="muted">(employee ${current}${
    status.integrationEntity === undefined ? ', the administrator who connected' : ''
  })</span>` : ''}</summary>
<label class="field"><span class="label">Employee internal ID</span>
<input name="entity" inputmode="numeric" pattern="[0-9]*" autocomplete="off" placeholder="Default: the administrator who connected">
<span class="hint">SuiteBridge gives this employee the SuiteBridge Integration role and maps the certificate to it.</span></label></details>`;
}

export function installPage(input: { csrfToken: string; status: OnboardingStatusView }): SafeHtml {
  const { status } = input;
  const install = status.install;
  const failedStep = status.steps.find((s) => s.step === 2 && s.state === 'failed');
  return html`${stepper(stepStates(status.steps, 2), 2)}
<section class="card">
${stepHeader(2)}
<p class="lead">Install bundle <strong>${install?.bundleId ?? ''}</strong> in account <strong>${status.accountId}</strong>. The link opens NetSuite's install page in a new tab; come back here when the installation has finished.</p>
${install ? html`<p><a class="button primary" href="${safeUrl(install.installUrl)}" target="_blank" rel="noopener noreferrer">Open the bundle install page</a></p>` : ''}
${failedStep && status.error ? html`<div class="notice notice-error" role="alert"><p>${status.error.message}</p>${
    status.error.remedy ? html`<p class="remedy">${status.error.remedy}</p>` : ''
  }</div>` : ''}
${checkSummary(install)}
${install && install.checks.length > 0 ? html`<h2>Install checks <span class="muted">checked ${formatTime(install.checkedAt)}</span></h2>
<ul class="checks">${install.checks.map(checkRow)}</ul>` : ''}
${postForm(
  '/onboarding/check',
  input.csrfToken,
  html`${integrationUserField(status)}<button type="submit" class="button">Check again</button>`,
  'stack-form actions',
)}
${postForm('/onboarding/restart', input.csrfToken, html`<button type="submit" class="link-button">Not this account? Start over</button>`, 'inline-form start-over')}
</section>`;
}

function eventList(events: ProgressEvent[]): SafeHtml {
  if (events.length === 0) return html`<p class="muted">Waiting for the first update…</p>`;
  return html`<ol class="events">${events.map(
    (e) => html`<li class="event event-${e.level}"><time>${formatLogTime(e.at)}</time><span class="event-step">Step ${e.step}</span><span class="event-message">${e.message}</span></li>`,
  )}</ol>`;
}

/** After step 3 uploaded the certificate, its integration user is fixed (changing it means a new onboarding). */
function certificateUploaded(status: OnboardingStatusView): boolean {
  return status.steps.some((s) => s.step === 3 && s.state === 'done');
}

export function progressPage(input: { csrfToken: string; status: OnboardingStatusView }): SafeHtml {
  const { status } = input;
  const current: StepNumber = status.steps.find((s) => s.step === 4 && s.state !== 'pending') ? 4 : 3;
  const retry = status.error
    ? html`<div class="notice notice-error" role="alert"><p>${status.error.message}</p>${
        status.error.remedy ? html`<p class="remedy">${status.error.remedy}</p>` : ''
      }</div>${postForm(
        '/onboarding/retry',
        input.csrfToken,
        html`${certificateUploaded(status)
          ? html`<p class="hint">The integration user cannot change now: its certificate is uploaded. For another one, your SuiteBridge contact removes this onboarding and sends a new link.</p>`
          : integrationUserField(status)}<button type="submit" class="button primary">Try again</button>`,
        'stack-form actions',
      )}${
        postForm('/onboarding/restart', input.csrfToken, html`<button type="submit" class="link-button">Start over (another account or integration user)</button>`, 'inline-form start-over')
      }`
    : html`<p class="working"><span class="spinner" aria-hidden="true"></span> Working… this page updates by itself.</p>`;
  return html`${stepper(stepStates(status.steps, current), current)}
<section class="card">
${stepHeader(current)}
<p class="lead">SuiteBridge is creating a certificate for account <strong>${status.accountId}</strong>, giving the integration user the SuiteBridge role, and checking the connection.</p>
${retry}
<h2>Progress <span class="muted">(times in UTC)</span></h2>
${eventList(status.events)}
</section>`;
}

export function finishPage(input: { status: OnboardingStatusView }): SafeHtml {
  const { status } = input;
  return html`${stepper(stepStates(status.steps, 4), 4)}
<section class="card">
${stepHeader(4)}
<div class="notice notice-ok" role="status"><p>Account <strong>${status.accountId}</strong> is connected. SuiteBridge now uses its own certificate; the temporary administrator access has been revoked.</p></div>
<h2>What was set up</h2>
<dl class="results">${(status.results ?? []).map((r) => html`<dt>${r.label}</dt><dd>${r.value}</dd>`)}</dl>
<details><summary>Full log</summary>${eventList(status.events)}</details>
</section>
<section class="card" data-section="another">
<h2>Onboard another account</h2>
<p>This onboarding link belongs to account <strong>${status.accountId}</strong> only. Each NetSuite account is connected through its own link, which your SuiteBridge contact sends you.</p>
<p><a class="button" href="/another">Onboard another account</a></p>
</section>`;
}
