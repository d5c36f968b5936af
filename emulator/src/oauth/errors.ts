/**
 * A token-endpoint refusal. The wire body is NetSuite's terse `{"error":"<value>"}`; the real reason goes to the
 * emulated Login Audit Trail (`auditReason`), as in NetSuite.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope',
    readonly auditReason: string,
    readonly status = error === 'invalid_client' ? 401 : 400,
    readonly realm?: string,
  ) {
    super(`${error}: ${auditReason}`);
    this.name = 'OAuthError';
  }
}

export const invalidRequest = (reason: string) => new OAuthError('invalid_request', reason);
export const invalidGrant = (reason: string) => new OAuthError('invalid_grant', reason);
export const invalidClient = (reason: string, realm: string) => new OAuthError('invalid_client', reason, 401, realm);
export const unauthorizedClient = (reason: string) => new OAuthError('unauthorized_client', reason);
