import type { ConsoleBackend } from './backend';
import { byTenantName, pageOfFleet, type ConsoleFleet, type FleetPage, type FleetQuery, type FleetTenantDetail } from './fleet';

/**
 * The fleet as far as the onboarding records tell it, for a console started without the SuiteBridge service: every
 * tenant's status is unknown (the service writes statuses), there is no repair and no webhook delivery.
 */
export class BackendFleet implements ConsoleFleet {
  readonly statuses: readonly string[] = [];

  constructor(private readonly backend: ConsoleBackend) {}

  async list(query: FleetQuery): Promise<FleetPage> {
    const rows = (await this.backend.listTenants()).map((t) => ({
      tenant: t.tenant,
      accountId: t.accountId,
      onboarding: t.complete ? 'completed' : 'in_progress',
      status: null,
      ...(t.certificateValidUntil ? { certificateExpiresAt: t.certificateValidUntil } : {}),
    }));
    return pageOfFleet(rows.sort(byTenantName), query);
  }

  async detail(): Promise<FleetTenantDetail | undefined> {
    return undefined;
  }
}
