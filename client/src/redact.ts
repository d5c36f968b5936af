/** Removes anything that looks like a credential from text meant for logs, errors or pages. */
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
// To the END line, or to the end of the text when an echo was cut short inside the key.
const PEM_PRIVATE = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
const BASIC = /\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
// Not "code": NetSuite error bodies carry {"code": "SSS_..."}, which must stay readable.
const JSON_SECRETS =
  /"(client_secret|clientSecret|client_assertion|clientAssertion|refresh_token|refreshToken|access_token|accessToken|id_token|idToken|code_verifier|codeVerifier|password|privateKey)"(\s*:\s*)"(?:[^"\\]|\\.)*"/g;
const FORM_SECRETS = /\b(client_secret|client_assertion|refresh_token|access_token|code_verifier|code|token|password)=([^&\s"]+)/gi;

export function redact(text: string): string {
  return text
    .replace(PEM_PRIVATE, '[REDACTED PRIVATE KEY]')
    .replace(JWT, '[REDACTED JWT]')
    .replace(BASIC, (_m, scheme: string) => `${scheme} [REDACTED]`)
    .replace(JSON_SECRETS, (_m, key: string, colon: string) => `"${key}"${colon}"[REDACTED]"`)
    .replace(FORM_SECRETS, (_m, key: string) => `${key}=[REDACTED]`);
}
