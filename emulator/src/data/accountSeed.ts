import type { Database } from 'better-sqlite3';
import type { ResolvedAccount } from '../config/types';
import { ADMINISTRATOR_ROLE_ID } from '../config/defaults';
import { PERMISSION_LEVELS } from './accountSchema';

function splitName(name: string): { first: string; last: string } {
  const parts = name.trim().split(/\s+/);
  return { first: parts[0] ?? name, last: parts.slice(1).join(' ') };
}

const COMPANY_WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Wonka', 'Tyrell', 'Cyberdyne', 'Soylent'];

/** Upserts the configured roles and employees; seeds customers only into an empty table. */
export function seedAccount(db: Database, account: ResolvedAccount, createdAt: string): void {
  const upsertRole = db.prepare(`INSERT INTO role (id, scriptid, name, iscustom) VALUES (?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET scriptid = excluded.scriptid, name = excluded.name`);
  const setPermission = db.prepare('INSERT OR REPLACE INTO rolepermissions (role, permkey, permlevel) VALUES (?, ?, ?)');
  const upsertEmployee = db.prepare(`INSERT INTO employee (id, entityid, firstname, lastname, email) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET entityid = excluded.entityid, firstname = excluded.firstname,
      lastname = excluded.lastname, email = excluded.email`);
  const assign = db.prepare('INSERT OR IGNORE INTO employeerolesforsearch (entity, role) VALUES (?, ?)');
  const roleByScriptId = db.prepare('SELECT id FROM role WHERE scriptid = ?');

  db.transaction(() => {
    upsertRole.run(ADMINISTRATOR_ROLE_ID, 'ADMINISTRATOR', 'Administrator', 'F');
    for (const role of account.roles) {
      upsertRole.run(role.internalId, role.scriptId.toUpperCase(), role.name, 'T');
      for (const [key, level] of Object.entries(role.permissions ?? {})) setPermission.run(role.internalId, key, PERMISSION_LEVELS.indexOf(level));
    }
    for (const e of account.employees) {
      const { first, last } = splitName(e.name);
      upsertEmployee.run(e.entityId, e.name, first, last, e.email);
      for (const r of e.roles ?? []) {
        const roleId = typeof r === 'number' ? r : (roleByScriptId.get(r.toUpperCase()) as { id: number } | undefined)?.id;
        if (roleId !== undefined) assign.run(e.entityId, roleId);
      }
    }
    const existing = (db.prepare('SELECT COUNT(*) AS n FROM customer').get() as { n: number }).n;
    if (existing === 0 && account.customers > 0) {
      const insert = db.prepare('INSERT INTO customer (id, entityid, companyname, email, datecreated) VALUES (?, ?, ?, ?, ?)');
      for (let n = 1; n <= account.customers; n++) {
        const id = 1000 + n;
        const company = `${COMPANY_WORDS[n % COMPANY_WORDS.length]} ${n}`;
        insert.run(id, `CUST${String(n).padStart(5, '0')}`, company, `customer${n}@example.com`, createdAt);
      }
    }
  })();
}
