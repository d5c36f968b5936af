import type { TokenEndpointError } from '../errors';

export type TokenRequestGrant = TokenEndpointError['grant'];

/**
 * NetSuite's token endpoint answers with a bare `{"error":"invalid_grant"}`; the real reason is only in
 * Setup > Users/Roles > User Management > View Login Audit Trail. These lists name what the audit trail would
 * show for each (grant, error) pair, most likely first.
 */
export interface Diagnosis {
  likelyCauses: readonly string[];
  remedy: string;
}

const AUDIT_TRAIL = 'Check Setup > Users/Roles > User Management > View Login Audit Trail (filter on the integration) for the exact reason.';

const CLIENT_AUTHENTICATION_FAILED = [
  'ClientAuthenticationFailed: wrong client ID or client secret (secrets are shown only once, when the integration record is saved)',
  'InvalidIntegration: the integration record is disabled, deleted or not installed in this account',
  'the client is public but a secret was sent, or confidential but none was sent',
];

const TABLE: Record<string, Diagnosis> = {
  'refresh_token:invalid_grant': {
    likelyCauses: [
      'RefreshTokenExpired: the refresh token outlived the integration record\'s "Refresh Token Validity" (default 7 days in older accounts)',
      'the refresh token was revoked (user, administrator or a revoke call)',
      'the refresh token was already used: public-client refresh tokens rotate and are single use (another process or a lost write used it first)',
      'the "Maximum Time for Token Rotation" window since the first authorization has passed',
      'EntityOrRoleDisabled: the user or the role that authorized is now inactive or lost "Log in using OAuth 2.0 Access Tokens"',
    ],
    remedy: `Run the authorization-code flow again to get a new refresh token. ${AUDIT_TRAIL}`,
  },
  'authorization_code:invalid_grant': {
    likelyCauses: [
      'the authorization code was already used or has expired (codes are single use and short-lived)',
      'redirect_uri differs from the one sent to authorize.nl',
      'code_verifier does not match the code_challenge (PKCE)',
      'the code was issued to a different client ID or account',
    ],
    remedy: `Start the authorization again and exchange the new code once, immediately. ${AUDIT_TRAIL}`,
  },
  'client_credentials:invalid_grant': {
    likelyCauses: [
      'wrong kid: the JWT header kid must be the Certificate ID NetSuite shows on the OAuth 2.0 Client Credentials (M2M) Setup page, not a thumbprint',
      'the certificate mapping was revoked, or the certificate has expired',
      'InvalidSignature: the assertion does not verify against the certificate with this kid (the private key is not the one whose certificate was uploaded)',
      'unsupported alg: only PS256/384/512 and ES256/384/512 are accepted (RS256 fails since 2025-03-01)',
      'exp - iat is 3600 seconds or more, or iat/exp are off because of clock skew',
      'aud is not the exact token URL on the account-specific suitetalk host (e.g. 1234567-sb1.suitetalk.api.netsuite.com)',
      'InvalidScope: a requested scope is not enabled on the integration record',
      'EntityOrRoleDisabled: the mapped entity or role is inactive or lacks "Log in using OAuth 2.0 Access Tokens"',
      'the mapping was made in another account, or a sandbox refresh wiped it (mappings are not copied)',
    ],
    remedy: `Check the certificate ID, algorithm and scopes against the M2M setup page, re-upload the certificate if it was revoked or wiped. ${AUDIT_TRAIL}`,
  },
  'revoke:invalid_grant': {
    likelyCauses: ['the token is unknown, already revoked or expired', 'the token belongs to another client'],
    remedy: 'Nothing to revoke; treat the token as gone.',
  },
  'any:invalid_client': {
    likelyCauses: CLIENT_AUTHENTICATION_FAILED,
    remedy: `Check the client ID and secret of the integration record and whether it is a public client. ${AUDIT_TRAIL}`,
  },
  'client_credentials:invalid_client': {
    likelyCauses: [
      'ClientAuthenticationFailed: the client assertion signature does not verify against the uploaded certificate (wrong private key for this kid)',
      'InvalidSignature: the key does not match the algorithm, or the assertion was altered',
      'iss is not the client ID of the integration record',
      'InvalidIntegration: the integration record is disabled or does not allow the client credentials grant',
    ],
    remedy: `Make sure the private key belongs to the certificate with this kid and the record allows "Client Credentials (Machine to Machine) Grant". ${AUDIT_TRAIL}`,
  },
  'any:invalid_scope': {
    likelyCauses: [
      'InvalidScope: a requested scope is not enabled on the integration record',
      'the mcp scope was combined with other scopes (it must be requested alone)',
    ],
    remedy: 'Request only scopes checked on the integration record (restlets, rest_webservices, suite_analytics).',
  },
  'any:invalid_request': {
    likelyCauses: [
      'a required form field is missing or malformed',
      'more than one client authentication method was sent (e.g. Basic header and client_id in the body)',
      'wrong Content-Type: the token endpoint accepts only application/x-www-form-urlencoded',
      'client_credentials: client_assertion_type is not urn:ietf:params:oauth:client-assertion-type:jwt-bearer, or the JWT is malformed',
    ],
    remedy: `Compare the request with NetSuite's token endpoint documentation. ${AUDIT_TRAIL}`,
  },
  'any:unauthorized_client': {
    likelyCauses: [
      'AuthorizationCodeGrantRequired or similar: the integration record does not allow this grant type',
      'the integration record is disabled in this account',
    ],
    remedy: 'Enable the grant on the integration record (Authorization Code Grant or Client Credentials (Machine to Machine) Grant).',
  },
  'any:unsupported_grant_type': {
    likelyCauses: ['the grant type is not enabled on the integration record', 'grant_type has a typo'],
    remedy: 'Enable the grant on the integration record.',
  },
};

const HTTP_CAUSES: Record<string, Diagnosis> = {
  '5xx': {
    likelyCauses: [
      'NetSuite is in maintenance or unavailable (an HTML error page instead of OAuth JSON)',
      'a proxy or load balancer between you and NetSuite answered',
      'the account is being moved or upgraded',
    ],
    remedy: 'Retry later with backoff; check https://status.netsuite.com.',
  },
  '429': {
    likelyCauses: ['too many concurrent requests for this account'],
    remedy: 'Retry with backoff and keep concurrency within the account limit.',
  },
  other: {
    likelyCauses: [
      'the URL is not a NetSuite token endpoint (wrong host form: use 1234567-sb1, not 1234567_SB1 or system.netsuite.com)',
      'a proxy answered instead of NetSuite',
    ],
    remedy: 'Check the account ID and baseUrl; the token URL must be https://<account>.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token.',
  },
};

const FALLBACK: Diagnosis = {
  likelyCauses: ['NetSuite returned an OAuth error SuiteBridge has no specific explanation for'],
  remedy: AUDIT_TRAIL,
};

/** Likely causes and remedy for an OAuth `error` value (or `http_<status>` when the body was not OAuth JSON). */
export function diagnose(grant: TokenRequestGrant, error: string, status: number): Diagnosis {
  if (error.startsWith('http_')) {
    if (status >= 500) return HTTP_CAUSES['5xx']!;
    if (status === 429) return HTTP_CAUSES['429']!;
    return HTTP_CAUSES['other']!;
  }
  return TABLE[`${grant}:${error}`] ?? TABLE[`any:${error}`] ?? FALLBACK;
}
