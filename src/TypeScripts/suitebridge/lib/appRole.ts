import * as query from 'N/query';
import { APP_ROLE_SCRIPT_ID } from './ids';

export interface AppRole {
  internalId: number;
  scriptId: string;
  name: string;
  inactive: boolean;
}

/** One SuiteQL call (10 units). The role's internal ID differs per account; it is assigned at install. */
export function findAppRole(): AppRole | null {
  const rows = query
    .runSuiteQL({
      query: 'SELECT id, scriptid, name, isinactive FROM role WHERE UPPER(scriptid) = ?',
      params: [APP_ROLE_SCRIPT_ID.toUpperCase()],
    })
    .asMappedResults();
  const row = rows[0];
  if (!row) return null;
  return {
    internalId: Number(row['id']),
    scriptId: APP_ROLE_SCRIPT_ID,
    name: String(row['name'] ?? ''),
    inactive: row['isinactive'] === 'T' || row['isinactive'] === true,
  };
}
