/** The SuiteBridge service (`suitebridge serve`) as a library. docs/operator.md: "The SuiteBridge service". */
export { SuiteBridgeService, type ServiceOptions } from './service';
export { buildServiceHttp } from './httpServer';
export { ServiceEvents, SERVICE_EVENT_TYPES, type ServiceEvent, type ServiceEventData, type ServiceEventType } from './events';
export { bridgeOnboardingEvents } from './onboardingEvents';
export { StatusStore } from './statusStore';
export { CONNECTION_STATUSES, type ConnectionStatus, type TenantConnectionState, type Classification } from './status';
export { classifyFailure, classifyHealth } from './classify';
export { checkTenantHealth } from './healthCheck';
export { repairTenant, type RepairResult } from './repair';
export { EmulatorLoginAudit, type LoginAuditSource } from './loginAudit';
export { createServiceLogger } from './logger';
export { WebhookDispatcher, WebhookRedeliveryError, type WebhookEndpoint, type DeliveryRecord, type DeliveryAttempt, type RedeliveryResult } from './webhooks';
export { checkServiceTls, loadServiceTls, type ServiceTls } from './tls';
export { ServiceConsoleFleet, type ServiceConsoleFleetOptions } from './consoleFleet';
