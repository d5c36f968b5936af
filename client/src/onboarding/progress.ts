import { redact } from '../redact';
import { STEP_IDS, type OnboardingEvent, type StepId } from './types';

export const STEP_TITLES: Record<StepId, string> = {
  authorize: 'Temporary elevated access',
  bundle: 'Bundle installation',
  certificate: 'Long-term access (certificate)',
  finalize: 'Post-install',
};

export type ProgressMode = 'json' | 'tty' | 'plain';

export interface ProgressWriter {
  write(text: string): void;
}

/** Progress actions that are warnings for the operator. */
const WARNINGS = new Set(['leftover-authorization']);

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function label(step: StepId): string {
  return `${STEP_IDS.indexOf(step) + 1}/4 ${STEP_TITLES[step]}`;
}

/**
 * Shows orchestrator events: a spinner line per running step on a terminal, plain lines otherwise,
 * one JSON object per line with --json. Everything passes through redact() on the way out.
 */
export class ProgressPrinter {
  private spinnerTimer: NodeJS.Timeout | undefined;
  private frame = 0;
  private activeLine: string | undefined;

  constructor(
    private readonly mode: ProgressMode,
    private readonly out: ProgressWriter,
    /** The demo answers the pages itself: say so instead of asking a person to open the URL. */
    private readonly o: { automated?: boolean } = {},
  ) {}

  static modeFor(o: { json?: boolean; stream: { isTTY?: boolean } }): ProgressMode {
    if (o.json) return 'json';
    return o.stream.isTTY && !process.env.CI ? 'tty' : 'plain';
  }

  readonly handle = (event: OnboardingEvent): void => {
    if (this.mode === 'json') {
      this.out.write(redact(JSON.stringify({ event: event.type, ...event, type: undefined })) + '\n');
      return;
    }
    const line = this.describe(event);
    if (line === undefined) return;
    if (this.mode === 'tty' && event.type === 'step' && event.status === 'running') {
      this.spin(line);
      return;
    }
    // A warning that needs an administrator's action gets its own line, never the transient spinner line.
    if (this.mode === 'tty' && event.type === 'progress' && this.activeLine !== undefined && !WARNINGS.has(event.action)) {
      this.spin(`${this.activeLine.split(' — ')[0]} — ${event.message}`);
      return;
    }
    this.line(line);
  };

  /** Free-form text (URLs, hints), kept clear of the spinner. */
  note(text: string): void {
    if (this.mode === 'json') this.out.write(redact(JSON.stringify({ event: 'note', message: text })) + '\n');
    else this.line(text);
  }

  stop(): void {
    this.clearSpinner();
  }

  private describe(event: OnboardingEvent): string | undefined {
    switch (event.type) {
      case 'step': {
        const ms = event.elapsedMs === undefined ? '' : ` (${event.elapsedMs} ms)`;
        if (event.status === 'running') return `… ${label(event.step)}`;
        // The demo prints each step's time once, in its summary table (the whole step, browser pages included);
        // elapsedMs here covers only the part after the last wait, so showing both would disagree.
        if (event.status === 'done') return `✓ ${label(event.step)}${this.o.automated ? '' : ms} — ${event.summary}`;
        if (event.status === 'waiting') return `⏸ ${label(event.step)} — ${event.summary}`;
        if (event.status === 'failed') {
          return `✗ ${label(event.step)}${ms} — ${event.error?.message ?? event.summary}${event.error?.remedy ? `\n    fix: ${event.error.remedy}` : ''}`;
        }
        return undefined;
      }
      case 'progress':
        return `    ${event.message}`;
      case 'waiting':
        if (event.reason === 'authorization') {
          if (this.o.automated) return `    Authorization URL: ${new URL(event.authorizationUrl).pathname} (PKCE S256); the demo signs in and consents through the HTML forms.`;
          return `    Open this URL, sign in as an administrator and allow access:\n    ${event.authorizationUrl}`;
        }
        // The demo expects the bundle to be missing at first and installs it next: a to-do, not a failure.
        if (this.o.automated) {
          return [
            `    Bundle ${event.installUrl.match(/id=([0-9]+)/)?.[1] ?? ''} is not installed yet; the demo installs it from ${event.installUrl}`,
            ...event.failedChecks.map((c) => `    to do: ${c.id}: ${c.detail}`),
          ].join('\n');
        }
        return [
          `    Install bundle ${event.installUrl.match(/id=([0-9]+)/)?.[1] ?? ''} from: ${event.installUrl}`,
          ...event.failedChecks.map((c) => `    ✗ ${c.id}: ${c.detail}${c.remedy ? `\n      fix: ${c.remedy}` : ''}`),
        ].join('\n');
      case 'completed':
        return `✓ Onboarding of ${event.tenant} completed.`;
    }
  }

  private spin(text: string): void {
    this.activeLine = text;
    this.render();
    if (!this.spinnerTimer) {
      this.spinnerTimer = setInterval(() => this.render(), 80);
      this.spinnerTimer.unref();
    }
  }

  private render(): void {
    if (this.activeLine === undefined) return;
    const frame = SPINNER[this.frame++ % SPINNER.length] ?? '';
    const width = process.stdout.columns ?? 0;
    const columns = width > 20 ? width - 3 : 117;
    this.out.write(`\r\x1b[2K${frame} ${redact(this.activeLine.replace(/^… /, '')).slice(0, columns)}`);
  }

  private clearSpinner(): void {
    if (this.spinnerTimer) clearInterval(this.spinnerTimer);
    this.spinnerTimer = undefined;
    if (this.activeLine !== undefined && this.mode === 'tty') this.out.write('\r\x1b[2K');
    this.activeLine = undefined;
  }

  private line(text: string): void {
    this.clearSpinner();
    this.out.write(redact(text) + '\n');
  }
}
