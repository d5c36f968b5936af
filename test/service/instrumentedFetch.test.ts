/** NetSuite calls counted by kind and status, over-limit answers and token grants recognised, spans when an SDK is registered. */
import { trace, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { callKind, instrumentedFetch } from '../../service/src/instrumentedFetch';
import { ServiceMetrics } from '../../service/src/metrics';
import { StatusStore } from '../../service/src/statusStore';
import { MemoryTokenStore } from '../../client/src/store';

interface Recorded { name: string; attributes: Record<string, unknown>; status?: number; ended: boolean }

function recordingProvider(spans: Recorded[]): TracerProvider {
  const startSpan = (name: string, options?: { attributes?: Record<string, unknown> }): Span => {
    const rec: Recorded = { name, attributes: { ...(options?.attributes ?? {}) }, ended: false };
    spans.push(rec);
    const span = {
      setAttribute: (k: string, v: unknown) => ((rec.attributes[k] = v), span),
      setStatus: (s: { code: number }) => ((rec.status = s.code), span),
      end: () => void (rec.ended = true),
    };
    return span as unknown as Span;
  };
  const tracer = {
    startSpan,
    startActiveSpan: (name: string, options: { attributes?: Record<string, unknown> }, fn: (span: Span) => unknown) => fn(startSpan(name, options)),
  } as unknown as Tracer;
  return { getTracer: () => tracer };
}

describe('instrumentedFetch', () => {
  const base = 'http://1234567.suitetalk.localhost:4010';
  it('names the kind of each NetSuite URL', () => {
    expect(callKind(`${base}/services/rest/auth/oauth2/v1/token`)).toBe('token');
    expect(callKind(`${base}/services/rest/auth/oauth2/v1/clients/abc/certificates`)).toBe('certificates');
    expect(callKind('http://1234567.restlets.localhost:4010/app/site/hosting/restlet.nl?script=1&deploy=1')).toBe('restlet');
    expect(callKind(`${base}/services/rest/query/v1/suiteql`)).toBe('suiteql');
    expect(callKind(`${base}/services/rest/record/v1/customer/1`)).toBe('rest');
  });

  it('counts calls, token requests by grant and outcome, over-limit answers, and records one span per call', async () => {
    const spans: Recorded[] = [];
    trace.setGlobalTracerProvider(recordingProvider(spans));
    const metrics = new ServiceMetrics(new StatusStore(new MemoryTokenStore()), Date.now);
    const answers: Response[] = [
      new Response('{"access_token":"x"}', { status: 200 }),
      new Response('{"error":"invalid_grant"}', { status: 400 }),
      new Response('{"error":{"code":"SSS_REQUEST_LIMIT_EXCEEDED","message":"busy"}}', { status: 400 }),
      new Response('{}', { status: 200 }),
    ];
    const fetchImpl = instrumentedFetch(metrics, (async () => answers.shift()!) as typeof fetch);
    const form = 'grant_type=client_credentials&client_assertion=eyJ.secret';
    await fetchImpl(`${base}/services/rest/auth/oauth2/v1/token`, { method: 'POST', body: form });
    await fetchImpl(`${base}/services/rest/auth/oauth2/v1/token`, { method: 'POST', body: form });
    const restlet = 'http://1234567.restlets.localhost:4010/app/site/hosting/restlet.nl?script=1&deploy=1';
    const limited = await fetchImpl(restlet);
    expect(await limited.text()).toContain('SSS_REQUEST_LIMIT_EXCEEDED'); // the body is still readable by the client
    await fetchImpl(restlet);

    const text = await metrics.registry.metrics();
    expect(text).toContain('suitebridge_token_requests_total{grant="client_credentials",outcome="ok"} 1');
    expect(text).toContain('suitebridge_token_requests_total{grant="client_credentials",outcome="refused"} 1');
    expect(text).toContain('suitebridge_netsuite_calls_total{kind="restlet",status="400"} 1');
    expect(text).toContain('suitebridge_netsuite_calls_total{kind="restlet",status="200"} 1');
    expect(text).toContain('suitebridge_over_limit_total{kind="restlet"} 1');
    expect(spans.map((s) => [s.name, s.attributes['http.response.status_code'], s.ended])).toEqual([
      ['NetSuite token', 200, true], ['NetSuite token', 400, true], ['NetSuite restlet', 400, true], ['NetSuite restlet', 200, true],
    ]);
    // Spans carry host and path only: no query string, header or body.
    expect(JSON.stringify(spans)).not.toMatch(/secret|script=1|eyJ/);
    trace.disable();
  });
});
