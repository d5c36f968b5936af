import { html, type SafeHtml } from '../html';
import type { StepNumber, StepState, StepView } from '../backend';

export const STEP_TITLES: Record<StepNumber, { title: string; summary: string }> = {
  1: { title: 'Connect your NetSuite account', summary: 'One-time administrator consent (temporary access)' },
  2: { title: 'Install the bundle', summary: 'Adds the SuiteBridge scripts and role to your account' },
  3: { title: 'Set up long-term access', summary: 'Certificate-based access with the least-privilege role' },
  4: { title: 'Finish', summary: 'Configuration, final checks, temporary access revoked' },
};

const STATE_LABEL: Record<StepState, string> = {
  pending: 'Not started',
  running: 'In progress',
  waiting: 'Needs you',
  done: 'Done',
  failed: 'Failed',
};

export function stepStates(steps: StepView[] | undefined, current: StepNumber): StepView[] {
  return ([1, 2, 3, 4] as StepNumber[]).map((step) => {
    const known = steps?.find((s) => s.step === step);
    if (known) return known;
    return { step, state: step < current ? 'done' : step === current ? 'waiting' : 'pending' };
  });
}

export function stepper(steps: StepView[], current: StepNumber): SafeHtml {
  return html`<ol class="stepper" aria-label="Onboarding steps">${steps.map(
    (s) => html`<li class="step step-${s.state}${s.step === current ? ' step-current' : ''}"${
      s.step === current ? html` aria-current="step"` : ''
    }><span class="step-number">${s.step}</span><span class="step-text"><span class="step-title">${
      STEP_TITLES[s.step].title
    }</span><span class="step-state">${STATE_LABEL[s.state]}</span></span></li>`,
  )}</ol>`;
}
