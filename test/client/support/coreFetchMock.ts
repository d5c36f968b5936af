/** A scripted fetch for client-core unit tests: records every request, answers from a handler. */
export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  form: URLSearchParams;
}

export type Handler = (request: RecordedRequest, index: number) => Response | Promise<Response>;

export function mockFetch(handler: Handler): { fetch: typeof fetch; calls: RecordedRequest[] } {
  const calls: RecordedRequest[] = [];
  const fetchImpl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body = typeof init.body === 'string' ? init.body : '';
    const request: RecordedRequest = { url: String(input), method: init.method ?? 'GET', headers, body, form: new URLSearchParams(body) };
    calls.push(request);
    return handler(request, calls.length - 1);
  };
  return { fetch: fetchImpl as typeof fetch, calls };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** NetSuite's token response: expires_in as a string, token_type in whatever case. */
export function tokenResponse(fields: Record<string, unknown> = {}): Response {
  return json(200, { access_token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIzOzcifQ.access', expires_in: '3600', token_type: 'bearer', ...fields });
}

export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

export function rejectionSync(action: () => unknown): any {
  try {
    action();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw');
}
