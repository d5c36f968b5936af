import type { Command } from 'commander';
import { printResult } from '../../cli/output';
import { NetSuiteApiError, TokenEndpointError } from '../../errors';
import { redact } from '../../redact';
import { OnboardingError } from '../errors';
import { STEP_TITLES } from '../progress';
import { STEP_IDS } from '../types';
import type { TenantView } from '../view';
import { isJson, requireTenant, storeOption, withOrchestrator } from './common';
import { notFound } from './notFound';

export function registerTenants(program: Command): void {
  const tenants = program.command('tenants').description('Onboarded (and in-progress) tenants in the token store');
  storeOption(tenants.command('list').description('List tenants with their status and certificate')).action(async (flags: { store?: string }, cmd: Command) => {
    const list = await withOrchestrator(flags, (o) => o.list());
    printResult(isJson(cmd), list, () =>
      list.length === 0
        ? 'No tenants. Onboard one with `suitebridge onboard --account <id> --client-id <id>`.'
        : [
            `${'TENANT'.padEnd(20)} ${'ACCOUNT'.padEnd(14)} ${'STATUS'.padEnd(26)} ${'CERTIFICATE'.padEnd(45)} EXPIRES`,
            ...list.map((t) => `${t.tenant.padEnd(20)} ${t.accountId.padEnd(14)} ${t.status.padEnd(26)} ${(t.certificateId ?? '-').padEnd(45)} ${t.certificateNotAfter?.slice(0, 10) ?? '-'}`),
          ].join('\n'),
    );
  });
  storeOption(tenants.command('show').argument('<tenant>', 'tenant name').description('Show one tenant: steps, certificate, account, audit log (never secrets)')).action(
    async (tenant: string, flags: { store?: string }, cmd: Command) => {
      const view = await withOrchestrator(flags, (o) => o.get(tenant));
      if (!view) throw notFound(tenant);
      printResult(isJson(cmd), view, () => describe(view));
    },
  );
  storeOption(
    tenants
      .command('remove')
      .argument('<tenant>', 'tenant name')
      .description('Delete a tenant record; revokes its certificate at NetSuite and its temporary access if still held')
      .option('--revoke-certificate', 'revoke its certificate at NetSuite (the default; kept for scripts)')
      .option('--keep-certificate', 'do not revoke the certificate: it stays active at NetSuite and keeps one of the 5 slots of the record'),
  ).action(async (tenant: string, flags: { store?: string; revokeCertificate?: boolean; keepCertificate?: boolean }, cmd: Command) => {
    const revokeCertificate = flags.keepCertificate !== true;
    const result = await withOrchestrator(flags, (o) => o.remove(requireTenant({ tenant }), { revokeCertificate })).catch((err: unknown) => {
      const certificateCall = (err instanceof TokenEndpointError && err.grant === 'client_credentials') || err instanceof NetSuiteApiError;
      throw revokeCertificate && certificateCall ? certificateNotRevoked(tenant, err) : err;
    });
    printResult(isJson(cmd), { tenant, removed: true, ...result }, () =>
      [
        `Removed tenant ${tenant}.`,
        result.revokedCertificateId ? `Revoked certificate ${result.revokedCertificateId}.` : '',
        result.revokedTemporaryAccess ? 'Revoked its temporary access token.' : '',
        ...(result.leftoverNotices ?? []).map((notice) => `Warning: ${notice}`),
      ]
        .filter(Boolean)
        .join('\n'),
    );
  });
}

/** The certificate could not be revoked (no working M2M token, NetSuite down): nothing was removed; say why and the way out. */
function certificateNotRevoked(tenant: string, cause: unknown): OnboardingError {
  const why = redact(cause instanceof Error ? cause.message : String(cause));
  return new OnboardingError(
    `Tenant "${tenant}" was not removed: its certificate could not be revoked at NetSuite (${why}).`,
    `Fix the cause and run it again (\`suitebridge tenants repair ${tenant}\` if the certificate no longer works), or pass --keep-certificate to remove the record and revoke the certificate by hand in NetSuite (Setup > Integration > Manage Authentication > OAuth 2.0 Client Credentials (M2M) Setup).`,
    { cause },
  );
}

function describe(v: TenantView): string {
  const lines = [
    `Tenant ${v.tenant} — account ${v.accountId} — ${v.status}`,
    `  auth client ${v.settings.authClientId}${v.settings.sameRecord ? ' (single record, also client credentials)' : `, client-credentials client ${v.settings.ccClientId}`}`,
    `  bundle ${v.settings.bundleId}, scopes ${v.settings.scopes.join(' ')}, temporary access ${v.temporaryAccess}`,
    'Steps:',
    ...STEP_IDS.map((s) => `  ${v.steps[s].status.padEnd(8)} ${STEP_TITLES[s]}${v.steps[s].summary ? ` — ${v.steps[s].summary}` : ''}${v.steps[s].error ? `\n           ${v.steps[s].error?.message}${v.steps[s].error?.remedy ? `\n           fix: ${v.steps[s].error?.remedy}` : ''}` : ''}`),
  ];
  if (v.bundle && !v.bundle.ok) lines.push('Install checks:', ...v.bundle.checks.map((c) => `  ${c.ok ? '✓' : '✗'} ${c.id}: ${c.detail}${!c.ok && c.remedy ? ` (fix: ${c.remedy})` : ''}`));
  if (v.certificate) {
    lines.push(`Certificate ${v.certificate.certificateId ?? '(not uploaded)'}: ${v.certificate.algorithm}, SHA-256 ${v.certificate.sha256Fingerprint}, valid until ${v.certificate.notAfter.slice(0, 10)} (${v.certificate.expiry.daysLeft} days, ${v.certificate.expiry.level}), entity ${v.certificate.entity ?? '?'}, role ${v.certificate.role ?? '?'}`);
  }
  if (v.account) lines.push(`Account: ${v.account.accountId} ${v.account.environment}, NetSuite ${v.account.version}, M2M user ${v.account.userId} as ${v.account.roleScriptId} (${v.account.roleId})`);
  if (v.lastToken) lines.push(`Last M2M token: ${v.lastToken.at} (expires ${v.lastToken.expiresAt})`);
  for (const leftover of v.leftoverAuthorizations ?? []) lines.push(`Warning: ${leftover.notice}`);
  lines.push(`Audit log (${v.audit.length}):`, ...v.audit.map((a) => `  ${a.at}  ${a.step.padEnd(11)} ${a.action.padEnd(22)} ${a.detail}`));
  return lines.join('\n');
}

