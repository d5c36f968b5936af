import type { FastifyRequest } from 'fastify';
import type { ApiKeyInfo, ApiKeyScope, ApiKeyStore } from './apiKeys';
import { ApiProblem } from './problem';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified API key of the caller (set by the API's onRequest hook). */
    apiKey?: ApiKeyInfo;
  }
}

/** Reads `Authorization: Bearer sbk_…` and checks it against the store; refuses with 401 problem details. */
export function authenticate(keys: ApiKeyStore) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer ([^\s]+)$/.exec(header) : null;
    if (!m) {
      throw new ApiProblem(401, 'UNAUTHENTICATED', 'This API needs an API key in the Authorization header.', 'Send `Authorization: Bearer sbk_…`; an operator creates keys with `suitebridge api-keys create`.');
    }
    const key = await keys.verify(m[1] as string);
    if (!key) {
      throw new ApiProblem(401, 'UNAUTHENTICATED', 'The API key is unknown or revoked.', 'Check that the whole key was copied; ask the operator for a new key (`suitebridge api-keys create`).');
    }
    request.apiKey = key;
  };
}

export function requireScope(request: FastifyRequest, scope: ApiKeyScope): ApiKeyInfo {
  const key = request.apiKey;
  if (!key) throw new ApiProblem(401, 'UNAUTHENTICATED', 'This API needs an API key in the Authorization header.');
  if (!key.scopes.includes(scope)) {
    throw new ApiProblem(403, 'FORBIDDEN', `API key "${key.name}" does not have the ${scope} scope.`, `Ask the operator for a key with the ${scope} scope (\`suitebridge api-keys create --scope ${scope}\`).`);
  }
  return key;
}

/** Scope and, for keys limited to some tenants, the tenant. A tenant outside the key's list is refused as forbidden. */
export function requireTenantAccess(request: FastifyRequest, scope: ApiKeyScope, tenant: string): ApiKeyInfo {
  const key = requireScope(request, scope);
  if (key.tenants && !key.tenants.includes(tenant)) {
    throw new ApiProblem(403, 'FORBIDDEN', `API key "${key.name}" is not allowed to use tenant "${tenant}".`, 'Use a key issued for this tenant, or ask the operator to create one.');
  }
  return key;
}

export function canSeeTenant(key: ApiKeyInfo, tenant: string): boolean {
  return !key.tenants || key.tenants.includes(tenant);
}
