import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { defaultFetch } from '../../client/src/http/transport';
import type { ServiceMetrics } from './metrics';

export type NetSuiteCallKind = 'token' | 'restlet' | 'certificates' | 'suiteql' | 'rest' | 'other';

export function callKind(url: string | URL): NetSuiteCallKind {
  const path = typeof url === 'string' ? new URL(url).pathname : url.pathname;
  if (/\/auth\/oauth2\/v1\/token$/.test(path)) return 'token';
  if (/\/auth\/oauth2\/v1\/clients\/[^/]+\/certificates/.test(path)) return 'certificates';
  if (path.includes('/app/site/hosting/restlet.nl')) return 'restlet';
  if (path.includes('/services/rest/query/')) return 'suiteql';
  if (path.includes('/services/rest/')) return 'rest';
  return 'other';
}

const tracer = trace.getTracer('suitebridge');

/**
 * A fetch for the client library that counts NetSuite calls and token requests for /metrics and wraps each call in
 * an OpenTelemetry span (a no-op unless the host application registered an SDK). Only the method, host, path and
 * status are recorded, never a header or body.
 */
export function instrumentedFetch(metrics: ServiceMetrics, inner: typeof fetch = defaultFetch): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const kind = callKind(url);
    const { host, pathname } = url;
    return tracer.startActiveSpan(`NetSuite ${kind}`, { kind: SpanKind.CLIENT, attributes: { 'http.request.method': init?.method ?? 'GET', 'server.address': host, 'url.path': pathname, 'suitebridge.call.kind': kind } }, async (span) => {
      try {
        const response = await inner(input, init);
        span.setAttribute('http.response.status_code', response.status);
        metrics.netsuiteCalls.inc({ kind, status: String(response.status) });
        if (response.status === 429 || (response.status === 400 && kind !== 'token' && (await response.clone().text()).includes('SSS_REQUEST_LIMIT_EXCEEDED'))) {
          metrics.overLimit.inc({ kind });
        }
        if (kind === 'token') {
          const grant = typeof init?.body === 'string' || init?.body instanceof URLSearchParams ? new URLSearchParams(String(init.body)).get('grant_type') ?? 'unknown' : 'unknown';
          metrics.tokenRequests.inc({ grant, outcome: response.ok ? 'ok' : response.status >= 500 || response.status === 429 ? 'unavailable' : 'refused' });
        }
        if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      } catch (err) {
        metrics.netsuiteCalls.inc({ kind, status: 'network_error' });
        span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'error' });
        throw err;
      } finally {
        span.end();
      }
    });
  };
}
