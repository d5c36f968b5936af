import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseCookies } from '../http';
import type { EmulatorServices } from '../services';

export const SESSION_COOKIE = 'JSESSIONID';

/** The logged-in UI user of this browser for the account, if any. */
export function currentSession(s: EmulatorServices, request: FastifyRequest, accountId: string): { entity: number } | undefined {
  const id = parseCookies(request.headers.cookie)[SESSION_COOKIE];
  if (!id) return undefined;
  const session = s.store.session(id);
  return session && session.account_id === accountId ? { entity: session.entity } : undefined;
}

export function startSession(s: EmulatorServices, reply: FastifyReply, accountId: string, entity: number): void {
  const id = s.store.createSession(accountId, entity, s.clock.now());
  reply.header('Set-Cookie', `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`);
}

function samePassword(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks e-mail and password against the account's configured employees; returns the entity ID. */
export function checkCredentials(s: EmulatorServices, accountId: string, email: string, password: string): number | undefined {
  const account = s.config.accounts.find((a) => a.accountId === accountId);
  const employee = account?.employees.find((e) => e.email.toLowerCase() === email.trim().toLowerCase());
  if (!employee || !employee.password || !samePassword(password, employee.password)) return undefined;
  const record = s.directory.getEmployee(accountId, employee.entityId);
  return record && !record.isInactive ? employee.entityId : undefined;
}
