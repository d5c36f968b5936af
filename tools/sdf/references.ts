/** `[scriptid=customrole_x]` → `customrole_x`; undefined for anything else (e.g. a standard role enum). */
export function scriptIdReference(value: string): string | undefined {
  return /^\[scriptid=([a-z0-9_.]+)\]$/i.exec(value.trim())?.[1]?.toLowerCase();
}

/** `[/SuiteScripts/app/x.js]` → `/SuiteScripts/app/x.js`; undefined when the value is not a file reference. */
export function fileReference(value: string): string | undefined {
  return /^\[(\/[^\]]+)\]$/.exec(value.trim())?.[1];
}

/** Standard roles an SDF audience or permission list may name by enum (the ones this project may use). */
export const STANDARD_ROLES: ReadonlySet<string> = new Set(['ADMINISTRATOR']);
