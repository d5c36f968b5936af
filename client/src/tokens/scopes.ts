import { ConfigurationError, ErrorCode } from '../errors';

const SCOPE = /^[a-z][a-z_]{0,63}$/;

/** NetSuite scopes: restlets, rest_webservices, suite_analytics, mcp (alone), openid, email. */
export function validateScopes(scopes: readonly string[]): string[] {
  if (!Array.isArray(scopes) || scopes.length === 0) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'scopes must be a non-empty array, e.g. ["restlets", "rest_webservices"].', {
      field: 'scopes',
      remedy: 'Pass the scopes enabled on the integration record, e.g. ["restlets"]; on the command line, --scope restlets,rest_webservices.',
    });
  }
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE.test(scope)) {
      throw new ConfigurationError(
        ErrorCode.INVALID_ARGUMENT,
        `Invalid scope ${JSON.stringify(String(scope).slice(0, 40))}: use lower-case names such as restlets, rest_webservices, suite_analytics.`,
        { field: 'scopes', remedy: 'Pass scopes as separate array items, not one comma- or space-separated string.' },
      );
    }
  }
  const unique = [...new Set(scopes)];
  if (unique.includes('mcp') && unique.length > 1) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'The mcp scope must be requested on its own.', {
      field: 'scopes',
      remedy: 'Request an mcp token in a separate request from the restlets/rest_webservices one.',
    });
  }
  return unique;
}

/** Stable form for cache keys: sorted, de-duplicated. */
export function scopeKey(scopes: readonly string[]): string {
  return [...new Set(scopes)].sort().join(' ');
}
