import { ConfigurationError, ErrorCode } from './errors';

/** Plain-JavaScript callers may pass nothing at all; say so instead of failing on `undefined.accountId`. */
export function requireOptions<T>(options: T, what: string): NonNullable<T> {
  if (options === null || typeof options !== 'object') {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${what} needs an options object (got ${options === null ? 'null' : typeof options}).`, {
      field: 'options',
      remedy: `Pass an object, e.g. ${what}({ accountId: '1234567', clientId: '...', ... }); see the README for the fields.`,
    });
  }
  return options as NonNullable<T>;
}

const FIELD_REMEDIES: Record<string, string> = {
  clientId: 'Copy the Client ID shown once when the integration record was saved (Setup > Integration > Manage Integrations).',
  clientSecret: 'Copy the Client Secret shown once when the integration record was saved, or omit it for a public client.',
  certificateId: 'Copy the Certificate ID from Setup > Integration > OAuth 2.0 Client Credentials (M2M) Setup.',
  redirectUri: 'Pass the redirect URI exactly as entered on the integration record.',
};

/** A required, non-blank string option. */
export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${field} is required${typeof value === 'string' ? ' (it is blank)' : ''}.`, {
      field,
      remedy: FIELD_REMEDIES[field] ?? `Pass a non-empty string as ${field}.`,
    });
  }
  return value;
}
