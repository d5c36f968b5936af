/** The secret part of an `sbk_<id>_<secret>` API key. The secret is base64url, so it may itself contain `_`. */
export function apiKeySecret(key: string): string {
  const m = /^sbk_[0-9a-f]{16}_([A-Za-z0-9_-]{43})$/.exec(key);
  if (!m) throw new Error(`not an API key: ${key.slice(0, 4)}…`);
  return m[1] as string;
}
