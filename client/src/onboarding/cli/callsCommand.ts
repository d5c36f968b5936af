import type { Command } from 'commander';
import { printResult } from '../../cli/output';
import { ConfigurationError } from '../../errors';
import { isJson, out, parsePositiveInt, requireTenant, storeOption, withOrchestrator } from './common';

const METHODS = ['get', 'post', 'put', 'delete'] as const;
type Method = (typeof METHODS)[number];

interface RestletFlags {
  tenant?: string;
  script: string;
  deploy: string;
  data?: string;
  param: string[];
  store?: string;
}

function parseData(data: string | undefined, method: Method): unknown {
  if (data === undefined) {
    if (method === 'post' || method === 'put') {
      throw new ConfigurationError('INVALID_ARGUMENT', `restlet ${method} needs a JSON body.`, { field: '--data', remedy: `Pass --data '{"key":"value"}'.` });
    }
    return undefined;
  }
  try {
    return JSON.parse(data) as unknown;
  } catch {
    throw new ConfigurationError('INVALID_ARGUMENT', '--data is not valid JSON.', { field: '--data', remedy: `Quote it for the shell, e.g. --data '{"entries":{"k":"v"}}'.` });
  }
}

function parseParams(pairs: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigurationError('INVALID_ARGUMENT', `--param "${pair}" is not key=value.`, { field: '--param', remedy: 'Pass --param key=value (repeatable).' });
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return params;
}

export function registerCalls(program: Command): void {
  storeOption(
    program
      .command('restlet')
      .argument('<method>', METHODS.join(' | '))
      .description("Call a RESTlet as a tenant's integration user (client credentials with its certificate); prints the JSON response")
      .option('--tenant <name>', 'tenant to call as (see `suitebridge tenants list`)')
      .requiredOption('--script <id>', 'script ID, e.g. customscript_sbr_rl_health')
      .requiredOption('--deploy <id>', 'deployment ID, e.g. customdeploy_sbr_rl_health')
      .option('--data <json>', 'JSON body for post/put')
      .option('--param <key=value>', 'query parameter (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[]),
  ).action(async (method: string, flags: RestletFlags) => {
    const m = method.toLowerCase() as Method;
    if (!METHODS.includes(m)) throw new ConfigurationError('INVALID_ARGUMENT', `Unknown method "${method}".`, { field: '<method>', remedy: `Use one of ${METHODS.join(', ')}.` });
    const tenant = requireTenant(flags);
    const body = parseData(flags.data, m);
    const params = parseParams(flags.param);
    const result = await withOrchestrator(flags, async (o) => {
      const c = await o.connect(tenant);
      if (m === 'get') return c.restlet.get(flags.script, flags.deploy, params);
      if (m === 'delete') return c.restlet.delete(flags.script, flags.deploy, params);
      if (Object.keys(params).length > 0) throw new ConfigurationError('INVALID_ARGUMENT', `--param is for get/delete; put parameters for ${m} in --data.`, { field: '--param' });
      return m === 'post' ? c.restlet.post(flags.script, flags.deploy, body) : c.restlet.put(flags.script, flags.deploy, body);
    });
    out(JSON.stringify(result, null, 2));
  });

  storeOption(
    program
      .command('suiteql')
      .argument('<query>', 'SuiteQL, e.g. "SELECT id, companyname FROM customer"')
      .description("Run a SuiteQL query as a tenant's integration user; prints rows as JSON lines (an object with --json)")
      .option('--tenant <name>', 'tenant to query as')
      .option('--page-size <n>', 'rows per request (1-1000)', '1000')
      .option('--max-rows <n>', 'stop after this many rows'),
  ).action(async (query: string, flags: { tenant?: string; pageSize: string; maxRows?: string; store?: string }, cmd: Command) => {
    const tenant = requireTenant(flags);
    const pageSize = parsePositiveInt(flags.pageSize, '--page-size');
    const maxRows = flags.maxRows === undefined ? Number.POSITIVE_INFINITY : parsePositiveInt(flags.maxRows, '--max-rows');
    const json = isJson(cmd);
    const { rows, truncated } = await withOrchestrator(flags, async (o) => {
      const c = await o.connect(tenant);
      const collected: Record<string, unknown>[] = [];
      for await (const page of c.suiteql.query<Record<string, unknown>>(query, { pageSize })) {
        for (const row of page) {
          if (collected.length >= maxRows) return { rows: collected, truncated: true };
          collected.push(row);
          if (!json) out(JSON.stringify(row));
        }
      }
      return { rows: collected, truncated: false };
    });
    if (json) out(JSON.stringify({ rows, count: rows.length, truncated }));
    else process.stderr.write(`${rows.length} rows${truncated ? ` (stopped at --max-rows ${maxRows})` : ''}\n`);
  });
}

/** Adds `rotate` to the `cert` command registered by cert.ts (or creates `cert` when it is absent). */
export function registerCertRotate(program: Command): void {
  const cert = program.commands.find((c) => c.name() === 'cert') ?? program.command('cert').description('Certificates for the client credentials (M2M) grant');
  storeOption(
    cert
      .command('rotate')
      .description("Replace a tenant's certificate: new key, upload, verify (token + health), switch, revoke the old one")
      .option('--tenant <name>', 'tenant whose certificate to rotate'),
  ).action(async (flags: { tenant?: string; store?: string }, cmd: Command) => {
    const tenant = requireTenant(flags);
    const view = await withOrchestrator(flags, (o) => o.rotateCertificate(tenant));
    const previous = view.audit.filter((a) => a.action === 'certificate-rotated').at(-1)?.detail ?? '';
    printResult(isJson(cmd), { tenant, certificateId: view.certificate?.certificateId, notAfter: view.certificate?.notAfter, detail: previous }, () =>
      `Rotated: ${previous}. New certificate valid until ${view.certificate?.notAfter.slice(0, 10) ?? '?'}.`,
    );
  });
}
