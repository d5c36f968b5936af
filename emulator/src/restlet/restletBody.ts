/** RESTlet request-body and response rules (reference sdf-suitescript.md §3.4). */

export interface RestletFailure {
  status: number;
  code: string;
  message: string;
}

/** NetSuite writes its RESTlet error JSON with spaces around the colons; clients must parse, not match text. */
export function restletErrorBody(code: string, message: string): string {
  return `{"error" : {"code" : ${JSON.stringify(code)}, "message" : ${JSON.stringify(message)}}}`;
}

export function hasBody(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (typeof body === 'string') return body.length > 0;
  if (Buffer.isBuffer(body)) return body.length > 0;
  return true;
}

export type MediaType = 'json' | 'text';

/** Media type of a request; `undefined` content type on GET/DELETE defaults to JSON. */
export function mediaTypeOf(contentType: string | undefined): MediaType | 'unsupported' | 'missing' {
  if (contentType === undefined || contentType.trim() === '') return 'missing';
  const essence = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (essence === 'application/json') return 'json';
  if (essence === 'text/plain') return 'text';
  return 'unsupported';
}

export const INVALID_CONTENT_TYPE: RestletFailure = {
  status: 415,
  code: 'INVALID_CONTENT_TYPE',
  message:
    'Invalid content type. The emulator accepts application/json or text/plain for RESTlets ' +
    '(NetSuite also accepts application/xml, which is not emulated).',
};

/** POST/PUT argument: an object for JSON, the raw string for text/plain. */
export function requestBodyArgument(body: unknown, media: MediaType): { value: unknown } | RestletFailure {
  const raw = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  if (media === 'text') {
    return { value: typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : JSON.stringify(raw) };
  }
  if (typeof raw !== 'string') return { value: raw ?? {} };
  if (raw.trim() === '') return { value: {} };
  try {
    return { value: JSON.parse(raw) as unknown };
  } catch (err) {
    return { status: 400, code: 'INVALID_JSON', message: `The request body is not valid JSON: ${(err as Error).message}` };
  }
}

/** Serializes an entry point's return value: strings as they are, everything else as JSON. */
export function responseBody(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}

const ENTRY_POINTS: Record<string, string> = { GET: 'get', POST: 'post', PUT: 'put', DELETE: 'delete' };

export interface RestletRequest {
  entryName: string;
  mediaType: MediaType;
  /** Query parameters (GET/DELETE, including `script` and `deploy`) or the request body (POST/PUT). */
  argument: unknown;
}

/** Checks method, body and content type, and builds the entry point's argument. */
export function readRequest(call: {
  method: string;
  query: Record<string, string>;
  body: unknown;
  contentType: string | undefined;
  scriptId: string;
  deployId: string;
}): RestletRequest | RestletFailure {
  const method = String(call.method).toUpperCase();
  const entryName = ENTRY_POINTS[method];
  if (!entryName) {
    return { status: 405, code: 'INVALID_REQUEST_METHOD', message: `HTTP method ${method} is not supported by RESTlets.` };
  }
  if (method === 'GET' && hasBody(call.body)) {
    return { status: 400, code: 'INVALID_REQUEST', message: 'A GET request must not have a body.' };
  }
  const media = mediaTypeOf(call.contentType);
  const takesBody = method === 'POST' || method === 'PUT';
  if (media === 'unsupported' || (media === 'missing' && takesBody)) return INVALID_CONTENT_TYPE;
  const mediaType: MediaType = media === 'text' ? 'text' : 'json';
  if (!takesBody) {
    const argument = { ...call.query, script: call.query['script'] ?? call.scriptId, deploy: call.query['deploy'] ?? call.deployId };
    return { entryName, mediaType, argument };
  }
  const parsed = requestBodyArgument(call.body, mediaType);
  return 'status' in parsed ? parsed : { entryName, mediaType, argument: parsed.value };
}
