/**
 * @NApiVersion 2.1
 * @NScriptType Restlet
 * @NModuleScope SameAccount
 */

import * as runtime from 'N/runtime';
import type { EntryPoints } from 'N/types';
import { guarded } from './lib/errors';

export interface HealthResponse {
  accountId: string;
  environment: string;
  version: string;
  userId: number;
  roleId: number;
  roleScriptId: string;
  remainingUsage: number;
  serverTime: string;
}

/** Uses N/runtime only, so a health call costs no governance units. */
function health(): HealthResponse {
  const user = runtime.getCurrentUser();
  return {
    accountId: runtime.accountId,
    environment: String(runtime.envType),
    version: runtime.version,
    userId: user.id,
    roleId: user.role,
    roleScriptId: user.roleId,
    remainingUsage: runtime.getCurrentScript().getRemainingUsage(),
    serverTime: new Date().toISOString(),
  };
}

export const get: EntryPoints.RESTlet.get<Record<string, string>, HealthResponse> = guarded('sbr_rl_health', health);
