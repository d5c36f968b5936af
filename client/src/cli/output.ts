import { AuthorizationError, NetSuiteApiError, SuiteBridgeError, TokenEndpointError, TransportError } from '../errors';
import { redact } from '../redact';
import { ExitCode } from './exitCodes';

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof TokenEndpointError && err.code === 'NETSUITE_UNAVAILABLE') return ExitCode.UNAVAILABLE;
  if (err instanceof TokenEndpointError || err instanceof AuthorizationError) return ExitCode.AUTH;
  if (err instanceof NetSuiteApiError) return ExitCode.NETSUITE;
  if (err instanceof TransportError) return ExitCode.NETWORK;
  if (err instanceof SuiteBridgeError && (err.code === 'INVALID_ARGUMENT' || err.code === 'INVALID_ACCOUNT_ID' || err.code === 'INSECURE_URL' || err.code === 'CERTIFICATE_ERROR')) return ExitCode.USAGE;
  return ExitCode.FAILURE;
}

/** Prints an error (redacted) on stderr, or as JSON on stdout with --json, and returns its exit code. */
export function reportError(err: unknown, json: boolean): ExitCode {
  const code = exitCodeFor(err);
  const message = redact(err instanceof Error ? err.message : String(err));
  const base = err instanceof SuiteBridgeError ? err : undefined;
  const details: Record<string, unknown> = { error: base?.code ?? 'UNEXPECTED', message, exitCode: code };
  if (base?.remedy) details.remedy = redact(base.remedy);
  if (err instanceof TokenEndpointError) Object.assign(details, { oauthError: err.error, status: err.status, likelyCauses: err.likelyCauses });
  if (err instanceof NetSuiteApiError) Object.assign(details, { netsuiteCode: err.netsuiteCode, status: err.status });
  if (json) {
    process.stdout.write(JSON.stringify(details) + '\n');
  } else {
    process.stderr.write(`suitebridge: ${message}\n`);
    if (err instanceof TokenEndpointError && err.likelyCauses.length) {
      process.stderr.write(`  likely causes (see Setup > Users/Roles > User Management > View Login Audit Trail):\n`);
      for (const cause of err.likelyCauses) process.stderr.write(`   - ${redact(cause)}\n`);
    }
    if (base?.remedy) process.stderr.write(`  fix: ${redact(base.remedy)}\n`);
  }
  return code;
}

/** Prints a result: JSON with --json, otherwise the human text. */
export function printResult(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : human() + '\n');
}
