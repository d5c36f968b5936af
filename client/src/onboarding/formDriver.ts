import { defaultFetch } from '../http/transport';
import { OnboardingError } from './errors';
import { pageText, parseForms, type FormButton, type HtmlForm } from './htmlForms';
import { pinnedGet } from './pinnedHttps';

/**
 * Drives server-rendered HTML pages like a person at a browser: GET a page, fill its form, press a button,
 * follow redirects, keep cookies. Used by `suitebridge demo` against the emulator's login, consent and
 * bundle install pages (never against real NetSuite: it would need the administrator's password).
 */
export interface BrowserCredentials {
  email: string;
  password: string;
  /** Role to pick on the consent page (internal ID), when it offers a choice. */
  role?: number;
}

export interface FormDriverOptions {
  fetch?: typeof fetch;
  /** Upper bound on pages visited, against loops. */
  maxHops?: number;
}

export interface PageVisit {
  method: string;
  url: string;
  status: number;
  /** Which form was submitted from this page, for the demo's narration. */
  action?: string;
}

class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(response: Response): void {
    const headers = response.headers as Headers & { getSetCookie?: () => string[] };
    const values = headers.getSetCookie?.() ?? (response.headers.get('set-cookie') ? [response.headers.get('set-cookie') as string] : []);
    for (const value of values) {
      const pair = value.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

interface Request {
  method: 'GET' | 'POST';
  url: URL;
  body?: URLSearchParams;
}

type FormChoice = { form: HtmlForm; button: FormButton | undefined; fill: Record<string, string>; label: string };

function isLoginForm(form: HtmlForm): boolean {
  return form.fields.some((f) => f.type === 'password');
}

function pressable(form: HtmlForm, wanted: RegExp, avoid: RegExp): FormButton | undefined {
  return form.buttons.find((b) => wanted.test(`${b.value ?? ''} ${b.label}`)) ?? form.buttons.find((b) => !avoid.test(`${b.value ?? ''} ${b.label}`));
}

function encode(form: HtmlForm, fill: Record<string, string>, button: FormButton | undefined): URLSearchParams {
  const body = new URLSearchParams();
  for (const field of form.fields) body.append(field.name, fill[field.name] ?? field.value);
  for (const select of form.selects) {
    const chosen = fill[select.name] ?? (select.options.find((o) => o.selected) ?? select.options[0])?.value;
    if (chosen !== undefined) body.append(select.name, chosen);
  }
  if (button?.name) body.append(button.name, button.value ?? '');
  return body;
}

function loginChoice(form: HtmlForm, creds: BrowserCredentials): FormChoice {
  const fill: Record<string, string> = {};
  for (const f of form.fields) {
    if (f.type === 'password') fill[f.name] = creds.password;
    else if (f.type === 'email' || /email|user|login/i.test(f.name)) fill[f.name] = creds.email;
  }
  return { form, button: pressable(form, /log\s*in|sign\s*in|submit/i, /cancel/i), fill, label: 'login' };
}

async function send(req: Request, jar: CookieJar, fetchImpl: typeof fetch): Promise<Response> {
  const headers: Record<string, string> = { accept: 'text/html' };
  const cookie = jar.header();
  if (cookie) headers.cookie = cookie;
  const init: RequestInit = { method: req.method, headers, redirect: 'manual' };
  if (req.body) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    init.body = req.body.toString();
  }
  const response = await fetchImpl(req.url, init);
  jar.store(response);
  return response;
}

function submission(choice: FormChoice, pageUrl: URL): Request {
  const action = new URL(choice.form.action || pageUrl.toString(), pageUrl);
  const body = encode(choice.form, choice.fill, choice.button);
  if (choice.form.method === 'GET') {
    for (const [k, v] of body) action.searchParams.append(k, v);
    return { method: 'GET', url: action };
  }
  return { method: 'POST', url: action, body };
}

/**
 * Browses from `startUrl`, letting `choose` pick the form to submit on each page, until `done` says a
 * redirect target or page is the end. Returns the final URL (a redirect not followed) or page.
 */
async function browse(
  startUrl: string,
  o: FormDriverOptions,
  choose: (forms: HtmlForm[], html: string, url: URL) => FormChoice | undefined,
  stopAtRedirect: (location: URL) => boolean,
  visits: PageVisit[],
): Promise<{ kind: 'redirect'; url: string } | { kind: 'page'; url: string; html: string; status: number }> {
  const fetchImpl = o.fetch ?? defaultFetch;
  const jar = new CookieJar();
  let req: Request = { method: 'GET', url: new URL(startUrl) };
  for (let hop = 0; hop < (o.maxHops ?? 20); hop++) {
    const response = await send(req, jar, fetchImpl);
    const visit: PageVisit = { method: req.method, url: `${req.url.origin}${req.url.pathname}`, status: response.status };
    visits.push(visit);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.arrayBuffer().catch(() => undefined);
      const next = new URL(location, req.url);
      if (stopAtRedirect(next)) return { kind: 'redirect', url: next.toString() };
      req = { method: 'GET', url: next };
      continue;
    }
    const html = await response.text();
    const choice = response.ok ? choose(parseForms(html), html, req.url) : undefined;
    if (!choice) return { kind: 'page', url: req.url.toString(), html, status: response.status };
    visit.action = choice.label;
    req = submission(choice, req.url);
  }
  throw new OnboardingError(`Gave up after ${o.maxHops ?? 20} pages without reaching the end of the flow.`, 'Open the URL in a browser to see what the pages ask for.');
}

export interface AuthorizationDriveOptions extends FormDriverOptions {
  visits?: PageVisit[];
  /** Press Deny instead of Allow (tests). */
  decision?: 'allow' | 'deny';
  /**
   * Follow the redirect to our own https callback server, trusting exactly this certificate (PEM of the throwaway
   * loopback certificate): as a browser would land there, but without any global TLS exception.
   */
  followCallback?: { certificatePem: string };
}

/**
 * Signs in and consents on the authorization pages; returns the callback URL NetSuite (the emulator) redirects
 * to. Without `followCallback` the redirect is not followed. `visits` receives each page for narration.
 */
export async function driveAuthorization(authorizationUrl: string, redirectUri: string, creds: BrowserCredentials, o: AuthorizationDriveOptions = {}): Promise<string> {
  const target = new URL(redirectUri);
  const decision = o.decision ?? 'allow';
  const visits = o.visits ?? [];
  const end = await browse(
    authorizationUrl,
    o,
    (forms) => {
      const login = forms.find(isLoginForm);
      if (login) return loginChoice(login, creds);
      const consent = forms.find((f) => f.buttons.some((b) => /allow/i.test(`${b.value ?? ''} ${b.label}`)));
      if (!consent) return undefined;
      const fill: Record<string, string> = {};
      const roleSelect = consent.selects.find((s) => /role/i.test(s.name));
      if (roleSelect && creds.role !== undefined) fill[roleSelect.name] = String(creds.role);
      const button = decision === 'allow' ? pressable(consent, /allow/i, /deny|cancel/i) : pressable(consent, /deny/i, /allow/i);
      return { form: consent, button, fill, label: `consent (${decision})` };
    },
    (location) => location.origin === target.origin && location.pathname === target.pathname,
    visits,
  );
  if (end.kind === 'redirect') {
    if (o.followCallback) {
      const landed = new URL(end.url);
      const page = await pinnedGet(end.url, o.followCallback.certificatePem);
      visits.push({ method: 'GET', url: `${landed.origin}${landed.pathname}`, status: page.status });
      if (page.status !== 200) {
        throw new OnboardingError(`The callback server answered HTTP ${page.status}: ${pageText(page.body)}`, 'Use the newest authorization URL of the running onboarding.');
      }
    }
    return end.url;
  }
  throw new OnboardingError(
    `The authorization pages stopped at ${new URL(end.url).pathname} (HTTP ${end.status}) instead of redirecting to ${redirectUri}: ${pageText(end.html)}`,
    'Check the e-mail, password and that the integration record allows this redirect URI.',
  );
}

/** Signs in on the bundle install page and presses its install button; returns the result page's text. */
export async function installBundleViaPage(installUrl: string, creds: BrowserCredentials, o: FormDriverOptions & { visits?: PageVisit[] } = {}): Promise<string> {
  let installed = false;
  const visits = o.visits ?? [];
  const end = await browse(
    installUrl,
    o,
    (forms) => {
      const login = forms.find(isLoginForm);
      if (login) return loginChoice(login, creds);
      if (installed) return undefined;
      const install = forms.find((f) => f.buttons.some((b) => /install/i.test(`${b.value ?? ''} ${b.label}`) && !/uninstall/i.test(`${b.value ?? ''} ${b.label}`)));
      if (!install) return undefined;
      installed = true;
      const button = install.buttons.find((b) => /install/i.test(`${b.value ?? ''} ${b.label}`) && !/uninstall/i.test(`${b.value ?? ''} ${b.label}`));
      return { form: install, button, fill: {}, label: 'install' };
    },
    () => false,
    visits,
  );
  const alreadyInstalled = end.kind === 'page' && parseForms(end.html).some((f) => f.buttons.some((b) => /uninstall/i.test(`${b.value ?? ''} ${b.label}`)));
  const errorShown = end.kind === 'page' && /class="error"/.test(end.html);
  if (end.kind !== 'page' || end.status >= 400 || errorShown || !(installed || alreadyInstalled)) {
    const text = end.kind === 'page' ? pageText(end.html) : '';
    throw new OnboardingError(`The bundle install page did not install the bundle${text ? `: ${text}` : ''}.`, 'Sign in as an administrator and install the bundle by hand.');
  }
  return pageText(end.html);
}
