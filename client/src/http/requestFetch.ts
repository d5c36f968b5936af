import { loopbackLookup } from './transport';

type Undici = typeof import('undici');

/** Status codes whose Response must not have a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

let agent: InstanceType<Undici['Agent']> | undefined;
let request: Undici['request'] | undefined;

/**
 * A `fetch` for the service's NetSuite calls, on undici's `request` instead of WHATWG fetch. Each WHATWG fetch
 * registers its request and response with finalization registries, which keeps them through every young-generation
 * collection until a full one: at proxy rates that made each scavenge copy megabytes and pause for milliseconds. Here
 * only the answer becomes a Response, built from the bytes already read.
 *
 * Enough of fetch for NetSuiteHttp: a string or URL, `method`, `headers`, a string or byte `body`, `signal`;
 * redirects are never followed (`redirect: 'manual'` is what NetSuiteHttp asks for). `*.localhost` names resolve to
 * 127.0.0.1, as with defaultFetch.
 */
export const requestFetch: typeof fetch = async (input, init) => {
  if (typeof input !== 'string' && !(input instanceof URL)) {
    throw new TypeError('requestFetch takes a URL string or URL object, not a Request.');
  }
  if (init?.redirect !== undefined && init.redirect !== 'manual') {
    throw new TypeError(`requestFetch never follows redirects; redirect "${init.redirect}" is not supported.`);
  }
  if (!request || !agent) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const undici = require('undici') as Undici;
    request = undici.request;
    agent = new undici.Agent({ connect: { lookup: loopbackLookup } });
  }
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array) && !(body instanceof URLSearchParams)) {
    throw new TypeError('requestFetch sends string, URLSearchParams or byte bodies only.');
  }
  const headers = headerRecord(init?.headers);
  if (body instanceof URLSearchParams && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
  }
  const answer = await request(input, {
    method: (init?.method ?? 'GET') as 'GET',
    headers,
    ...(body !== undefined && body !== null ? { body: body instanceof URLSearchParams ? body.toString() : body } : {}),
    ...(init?.signal ? { signal: init.signal } : {}),
    dispatcher: agent,
  });
  const bytes = Buffer.from(await answer.body.arrayBuffer());
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
    else if (value !== undefined) responseHeaders.set(name, value);
  }
  return new BufferedResponse(answer.statusCode, responseHeaders, NULL_BODY.has(answer.statusCode) ? Buffer.alloc(0) : bytes) as unknown as Response;
};

/**
 * The answer, already read: what NetSuiteHttp and the service read of a Response (status, headers, text, json,
 * arrayBuffer, clone). Not a WHATWG Response, which would bring its stream and registry back; `body` is null.
 */
class BufferedResponse {
  readonly ok: boolean;
  readonly statusText = '';
  readonly redirected = false;
  readonly type = 'basic';
  readonly body = null;
  private used = false;

  constructor(readonly status: number, readonly headers: Headers, private readonly bytes: Buffer) {
    this.ok = status >= 200 && status <= 299;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  async text(): Promise<string> {
    return this.consume().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.consume();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  clone(): BufferedResponse {
    if (this.used) throw new TypeError('Response body is already used');
    return new BufferedResponse(this.status, new Headers(this.headers), this.bytes);
  }

  private consume(): Buffer {
    if (this.used) throw new TypeError('Response body is already used');
    this.used = true;
    return this.bytes;
  }
}

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) {
    headers.forEach((value, name) => (out[name] = value));
  } else if (Array.isArray(headers)) {
    for (const [name, value] of headers) out[name as string] = value as string;
  } else {
    Object.assign(out, headers);
  }
  return out;
}
