import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertTenantName } from '../../../client/src/onboarding/settings';
import type { OnboardingOrchestrator } from '../../../client/src/onboarding/orchestrator';
import type { TenantSettings } from '../../../client/src/onboarding/types';
import type { TenantView } from '../../../client/src/onboarding/view';
import { requireTenantAccess } from './access';
import { ApiProblem } from './problem';

/** Where onboarded tenants' NetSuite is: set by the operator, never by a caller (a caller's URL would be an SSRF). */
export interface OnboardingApiOptions {
  /** A NetSuite stand-in or proxy for every tenant onboarded through the API (the emulator in tests). */
  baseUrl?: string;
  dangerouslyAllowInsecureHttp?: boolean;
}

/** The onboarding as the API shows it: status, the link the customer needs next, each step's state. */
export interface OnboardingAnswer {
  tenant: string;
  accountId: string;
  status: TenantView['status'];
  authorizationUrl?: string;
  installUrl?: string;
  steps: Record<string, { status: string; summary?: string; error?: { code: string; message: string; remedy?: string } }>;
}

const CLIENT_ID = /^[A-Za-z0-9_-]{1,128}$/;

async function answer(orchestrator: OnboardingOrchestrator, view: TenantView): Promise<OnboardingAnswer> {
  const out: OnboardingAnswer = { tenant: view.tenant, accountId: view.accountId, status: view.status, steps: {} };
  for (const [id, step] of Object.entries(view.steps)) {
    out.steps[id] = { status: step.status, ...(step.summary ? { summary: step.summary } : {}), ...(step.error ? { error: { code: step.error.code, message: step.error.message, ...(step.error.remedy ? { remedy: step.error.remedy } : {}) } } : {}) };
  }
  if (view.status === 'waiting_for_authorization') out.authorizationUrl = await orchestrator.authorizationUrl(view.tenant);
  if (view.status === 'waiting_for_bundle') out.installUrl = view.settings.installUrl;
  return out;
}

function stringField(body: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const value = body[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) {
    throw new ApiProblem(400, 'INVALID_ARGUMENT', `"${name}" must be a non-empty string.`, 'See the onboarding request in /v1/openapi.json.');
  }
  return value;
}

/**
 * Onboarding over HTTP: start for an account (→ the customer's authorization link), hand over the callback URL the
 * customer's browser landed on, continue after the bundle is installed, read the state, cancel.
 */
export async function onboardingRoutes(app: FastifyInstance, o: { orchestrator: OnboardingOrchestrator; onboarding?: OnboardingApiOptions }): Promise<void> {
  const { orchestrator } = o;
  const tenantOf = (request: FastifyRequest<{ Params: { tenant: string } }>, scope: 'tenants:read' | 'tenants:manage') => {
    const tenant = assertTenantName(request.params.tenant);
    requireTenantAccess(request, scope, tenant);
    return tenant;
  };
  const existing = async (tenant: string) => {
    const view = await orchestrator.get(tenant);
    if (!view) throw new ApiProblem(404, 'NOT_FOUND', `No onboarding for tenant "${tenant}".`, 'Start one with POST /v1/onboardings.');
    return view;
  };

  app.post<{ Body: Record<string, unknown> }>('/onboardings', async (request, reply) => {
    const body = request.body && typeof request.body === 'object' ? request.body : {};
    const tenant = assertTenantName(stringField(body, 'tenant', true) as string);
    requireTenantAccess(request, 'tenants:manage', tenant);
    const authClientId = stringField(body, 'authClientId', true) as string;
    // Two records (public auth-code + confidential M2M), as the CLI's default; the single-record set-up is CLI-only.
    const ccClientId = stringField(body, 'ccClientId', true) as string;
    for (const [name, id] of [['authClientId', authClientId], ['ccClientId', ccClientId]] as const) {
      if (!CLIENT_ID.test(id)) throw new ApiProblem(400, 'INVALID_ARGUMENT', `"${name}" is not a NetSuite client ID.`, 'Copy the Client ID from the integration record.');
    }
    const redirectUri = stringField(body, 'redirectUri', false);
    const bundleId = stringField(body, 'bundleId', false);
    const settings: TenantSettings = {
      tenant,
      accountId: stringField(body, 'accountId', true) as string,
      authClient: { clientId: authClientId },
      ccClient: { clientId: ccClientId },
      ...(redirectUri ? { redirectUri } : {}),
      ...(bundleId ? { bundleId } : {}),
      ...(o.onboarding?.baseUrl ? { baseUrl: o.onboarding.baseUrl } : {}),
      ...(o.onboarding?.dangerouslyAllowInsecureHttp ? { dangerouslyAllowInsecureHttp: true } : {}),
    };
    await orchestrator.begin(settings);
    const view = await orchestrator.advance(tenant);
    return reply.code(201).send(await answer(orchestrator, view));
  });

  app.get<{ Params: { tenant: string } }>('/onboardings/:tenant', async (request) => {
    const tenant = tenantOf(request, 'tenants:read');
    return answer(orchestrator, await existing(tenant));
  });

  app.post<{ Params: { tenant: string }; Body: Record<string, unknown> }>('/onboardings/:tenant/callback', async (request) => {
    const tenant = tenantOf(request, 'tenants:manage');
    await existing(tenant);
    const body = request.body && typeof request.body === 'object' ? request.body : {};
    const callbackUrl = stringField(body, 'callbackUrl', true) as string;
    return answer(orchestrator, await orchestrator.submitCallback(callbackUrl, tenant));
  });

  app.post<{ Params: { tenant: string } }>('/onboardings/:tenant/continue', async (request) => {
    const tenant = tenantOf(request, 'tenants:manage');
    const view = await existing(tenant);
    return answer(orchestrator, view.status === 'waiting_for_bundle' ? await orchestrator.recheckBundle(tenant) : await orchestrator.advance(tenant));
  });

  app.delete<{ Params: { tenant: string } }>('/onboardings/:tenant', async (request) => {
    const tenant = tenantOf(request, 'tenants:manage');
    const view = await existing(tenant);
    if (view.status === 'completed') {
      throw new ApiProblem(409, 'ALREADY_ONBOARDED', `Tenant "${tenant}" has finished onboarding; there is nothing to cancel.`, `Remove the tenant with DELETE /v1/tenants/${tenant}.`);
    }
    const result = await orchestrator.remove(tenant);
    return { tenant, cancelled: true, revokedTemporaryAccess: result.revokedTemporaryAccess };
  });
}
