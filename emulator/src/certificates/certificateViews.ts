/**
 * Wire shapes of the certificate rotation endpoint. Oracle's response examples are not available, so both observed
 * shapes are offered (setting `shapes.certificateApi`, UNCERTAIN): `nested`, what a working Go client decodes
 * (reference §0), and `flat`, netsuite-cli's mocks (reference §5). Neither carries fields NetSuite was never seen to send.
 */
import type { ResolvedIntegration } from '../config/types';
import type { CertificateRow } from '../data/systemStore';
import { applicationGuid } from '../oauth/claims';

export type CertificateApiShape = 'nested' | 'flat';

/** Names and UI links of what a mapping points at, looked up by the route. */
export interface MappingParties {
  integration: ResolvedIntegration;
  /** Internal ID of the integration record (stable per client). */
  integrationInternalId: number;
  entityName: string;
  roleName: string;
  /** Origin of the account's UI host, for the `url` fields. */
  uiOrigin: string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function nestedView(row: CertificateRow, p: MappingParties): Record<string, unknown> {
  return {
    certificate_id: row.certificate_id,
    algorithm: row.algorithm,
    valid_from: day(row.created_at),
    valid_until: day(row.valid_until),
    created: new Date(row.created_at).toISOString(),
    revoked: row.revoked_at !== null,
    application: {
      id: String(p.integrationInternalId), name: p.integration.name,
      url: `${p.uiOrigin}/app/common/integration/integrapp.nl?id=${p.integrationInternalId}`,
      application_id: applicationGuid(p.integration.clientId),
    },
    entity: { id: String(row.entity), name: p.entityName, url: `${p.uiOrigin}/app/common/entity/employee.nl?id=${row.entity}` },
    role: { id: String(row.role), name: p.roleName, url: `${p.uiOrigin}/app/setup/role.nl?id=${row.role}` },
  };
}

/** netsuite-cli's list item. */
export function flatListItem(row: CertificateRow): Record<string, unknown> {
  return { certificate_id: row.certificate_id, algorithm: row.algorithm, valid_until: day(row.valid_until), revoked: row.revoked_at !== null };
}

/** netsuite-cli's create answer. */
export function flatCreated(row: CertificateRow): Record<string, unknown> {
  return { certificate_id: row.certificate_id, algorithm: row.algorithm, valid_until: day(row.valid_until), invalidated: false };
}
