/** Seeded by the bundle installation script; existing values are never overwritten. */
export const DEFAULT_CONFIG: Readonly<Record<string, string>> = {
  'suitebridge.schema_version': '1',
  'cert.expiry_warning_days': '60,30,14',
  'cert.max_active': '5',
};
