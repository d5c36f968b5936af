/**
 * The client's error model: few classes, each with a stable string `code` callers can switch on.
 * Messages name the problem and the fix; they never contain a token, secret or private key.
 */
export const ErrorCode = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  INVALID_ACCOUNT_ID: 'INVALID_ACCOUNT_ID',
  INSECURE_URL: 'INSECURE_URL',
  STATE_MISMATCH: 'STATE_MISMATCH',
  AUTHORIZATION_DENIED: 'AUTHORIZATION_DENIED',
  AUTHORIZATION_FAILED: 'AUTHORIZATION_FAILED',
  /** No stored authorization (refresh token) for this tenant: run the authorization code flow first. */
  AUTHORIZATION_REQUIRED: 'AUTHORIZATION_REQUIRED',
  TOKEN_REQUEST_FAILED: 'TOKEN_REQUEST_FAILED',
  /** The token endpoint answered 429 or 5xx after retries: NetSuite is unavailable, try again later. */
  NETSUITE_UNAVAILABLE: 'NETSUITE_UNAVAILABLE',
  /** A rotated refresh token could not be saved: it lives only in this process's memory. */
  AUTHORIZATION_NOT_SAVED: 'AUTHORIZATION_NOT_SAVED',
  INVALID_TOKEN_RESPONSE: 'INVALID_TOKEN_RESPONSE',
  NETSUITE_ERROR: 'NETSUITE_ERROR',
  NETWORK_ERROR: 'NETWORK_ERROR',
  TIMEOUT: 'TIMEOUT',
  STORE_CONFLICT: 'STORE_CONFLICT',
  STORE_ERROR: 'STORE_ERROR',
  DECRYPTION_FAILED: 'DECRYPTION_FAILED',
  CERTIFICATE_ERROR: 'CERTIFICATE_ERROR',
  ROTATION_FAILED: 'ROTATION_FAILED',
  SUITEQL_LIMIT_EXCEEDED: 'SUITEQL_LIMIT_EXCEEDED',
  ONBOARDING_FAILED: 'ONBOARDING_FAILED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface SuiteBridgeErrorOptions {
  cause?: unknown;
  /** What the caller should do about it. */
  remedy?: string;
}

export class SuiteBridgeError extends Error {
  readonly code: ErrorCode;
  readonly remedy: string | undefined;
  constructor(code: ErrorCode, message: string, options: SuiteBridgeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.remedy = options.remedy;
  }
}

/** Bad input from the caller: a flag, an option, an account ID, a key file. */
export class ConfigurationError extends SuiteBridgeError {
  /** The option or field at fault, e.g. `accountId` or `--private-key`. */
  readonly field: string | undefined;
  constructor(
    code: Extract<ErrorCode, 'INVALID_ARGUMENT' | 'INVALID_ACCOUNT_ID' | 'INSECURE_URL' | 'CERTIFICATE_ERROR'>,
    message: string,
    options: SuiteBridgeErrorOptions & { field?: string } = {},
  ) {
    super(code, message, options);
    this.field = options.field;
  }
}

/** The authorization callback carried `error=` (access_denied, invalid_scope, ...) or failed the state check. */
export class AuthorizationError extends SuiteBridgeError {
  /** The OAuth `error` value from the callback, when there was one. */
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  constructor(
    code: Extract<ErrorCode, 'AUTHORIZATION_DENIED' | 'AUTHORIZATION_FAILED' | 'AUTHORIZATION_REQUIRED' | 'STATE_MISMATCH'>,
    message: string,
    options: SuiteBridgeErrorOptions & { error?: string; errorDescription?: string } = {},
  ) {
    super(code, message, options);
    this.error = options.error;
    this.errorDescription = options.errorDescription;
  }
}

/** The token (or revoke) endpoint refused. `likelyCauses` lists what NetSuite's Login Audit Trail would show. */
export class TokenEndpointError extends SuiteBridgeError {
  readonly status: number;
  /** OAuth `error` value: invalid_grant, invalid_client, invalid_request, ... or `http_<status>` for non-JSON bodies. */
  readonly error: string;
  readonly errorDescription: string | undefined;
  readonly grant: 'authorization_code' | 'refresh_token' | 'client_credentials' | 'revoke';
  readonly likelyCauses: readonly string[];
  constructor(
    message: string,
    details: {
      status: number;
      error: string;
      errorDescription?: string;
      grant: TokenEndpointError['grant'];
      likelyCauses: readonly string[];
    },
    options: SuiteBridgeErrorOptions = {},
  ) {
    // 429 and 5xx say nothing about the credentials: NetSuite (or a proxy in front of it) is unavailable.
    super(details.status === 429 || details.status >= 500 ? ErrorCode.NETSUITE_UNAVAILABLE : ErrorCode.TOKEN_REQUEST_FAILED, message, options);
    this.status = details.status;
    this.error = details.error;
    this.errorDescription = details.errorDescription;
    this.grant = details.grant;
    this.likelyCauses = details.likelyCauses;
  }
}

/** A RESTlet (`{"error":{"code","message"}}`) or REST web services (problem JSON) error. */
export class NetSuiteApiError extends SuiteBridgeError {
  readonly status: number;
  /** NetSuite's own code: SSS_REQUEST_LIMIT_EXCEEDED, INVALID_LOGIN, SBR_INVALID_INPUT, ... */
  readonly netsuiteCode: string;
  readonly kind: 'restlet' | 'rest';
  /** REST web services `o:errorPath`, when given. */
  readonly errorPath: string | undefined;
  constructor(
    message: string,
    details: { status: number; netsuiteCode: string; kind: 'restlet' | 'rest'; errorPath?: string },
    options: SuiteBridgeErrorOptions = {},
  ) {
    super(ErrorCode.NETSUITE_ERROR, message, options);
    this.status = details.status;
    this.netsuiteCode = details.netsuiteCode;
    this.kind = details.kind;
    this.errorPath = details.errorPath;
  }
}

/** No usable HTTP response: connection reset, DNS, timeout. */
export class TransportError extends SuiteBridgeError {
  constructor(code: Extract<ErrorCode, 'NETWORK_ERROR' | 'TIMEOUT'>, message: string, options: SuiteBridgeErrorOptions = {}) {
    super(code, message, options);
  }
}

/** Token store failures: a lost compare-and-swap race, a wrong encryption key, a corrupt row. */
export class StoreError extends SuiteBridgeError {
  constructor(
    code: Extract<ErrorCode, 'STORE_CONFLICT' | 'STORE_ERROR' | 'DECRYPTION_FAILED' | 'AUTHORIZATION_NOT_SAVED'>,
    message: string,
    options: SuiteBridgeErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

export function isSuiteBridgeError(value: unknown): value is SuiteBridgeError {
  return value instanceof SuiteBridgeError;
}
