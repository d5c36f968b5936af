/** The status classifier: every cause the issue names lands on its status, with plain words and NetSuite's cause. */
import { NetSuiteApiError, StoreError, TokenEndpointError, TransportError } from '../../client/src/errors';
import { OnboardingError } from '../../client/src/onboarding/errors';
import { classifyFailure, classifyHealth, type FailureContext } from '../../service/src/classify';

const now = Date.parse('2027-01-01T00:00:00Z');
const production: FailureContext = { accountId: '1234567', environment: 'PRODUCTION', certificateId: 'cert-1', certificateExpiresAt: '2028-01-01T00:00:00.000Z', now };
const sandbox: FailureContext = { ...production, accountId: '1234567_SB1', environment: 'SANDBOX' };

const refused = (error = 'invalid_grant', status = 400) =>
  new TokenEndpointError(`token refused: ${error}`, { status, error, grant: 'client_credentials', likelyCauses: [] });
const restlet = (status: number, netsuiteCode: string) => new NetSuiteApiError(`health failed ${netsuiteCode}`, { status, netsuiteCode, kind: 'restlet' });

describe('classifyFailure', () => {
  it.each([
    ['CertificateRevoked', 'needs_certificate', /revoked/],
    ['CertificateExpired', 'needs_certificate', /expired/],
    ['InvalidCertificateId', 'needs_certificate', /no longer knows the certificate ID/],
    ['InvalidSignature', 'needs_certificate', /private key/],
    ['EntityOrRoleDisabled', 'needs_reconsent', /inactive, lost the app role/],
    ['InvalidIntegration', 'disconnected', /integration record/],
    ['ClientCredentialsGrantNotEnabled', 'disconnected', /client credentials grant/],
    ['CertificateNotYetActive', 'degraded', /not active yet/],
    ['AssertionExpired', 'degraded', /clock/],
  ])('a refused token whose Login Audit Trail cause is %s is %s', (cause, status, words) => {
    const c = classifyFailure(refused(), { ...production, auditCause: cause });
    expect(c.status).toBe(status);
    expect(c.reason).toMatch(words);
    expect(c.reason).toContain(`(NetSuite: ${cause})`);
    expect(c.cause).toBe(cause);
    expect(c.sandboxRefresh).toBeUndefined();
  });

  it('an unknown certificate ID in a sandbox is a sandbox refresh (needs_certificate, with the consent it needs)', () => {
    const c = classifyFailure(refused(), { ...sandbox, auditCause: 'InvalidCertificateId' });
    expect(c).toMatchObject({ status: 'needs_certificate', cause: 'InvalidCertificateId', sandboxRefresh: true });
    expect(c.reason).toMatch(/sandbox refresh wipes M2M mappings and authorized applications/);
  });

  it('the sandbox is recognised from the account ID when the environment is unknown', () => {
    const { environment: _unused, ...noEnvironment } = sandbox;
    expect(classifyFailure(refused(), { ...noEnvironment, auditCause: 'InvalidCertificateId' }).sandboxRefresh).toBe(true);
  });

  it('without an audit cause, invalid_grant is the certificate; past notAfter it says expired', () => {
    expect(classifyFailure(refused(), production)).toMatchObject({ status: 'needs_certificate', cause: 'invalid_grant' });
    expect(classifyFailure(refused(), production).reason).toMatch(/certificate cert-1: revoked, deleted or not matching/);
    const expired = classifyFailure(refused(), { ...production, certificateExpiresAt: '2026-12-01T00:00:00.000Z' });
    expect(expired).toMatchObject({ status: 'needs_certificate', cause: 'CertificateExpired' });
    expect(expired.reason).toMatch(/expired on 2026-12-01/);
  });

  it.each([['invalid_client'], ['unauthorized_client'], ['invalid_scope']])('%s without a cause is disconnected', (error) => {
    expect(classifyFailure(refused(error), production).status).toBe('disconnected');
  });

  it.each([
    [503, 'http_503'],
    [429, 'http_429'],
    [502, 'server_error'],
  ])('token endpoint HTTP %s is degraded (transient)', (status, error) => {
    expect(classifyFailure(refused(error, status), { ...production, auditCause: 'CertificateRevoked' }).status).toBe('degraded');
  });

  it('RESTlet answers: over limit and 5xx degraded, script gone means the bundle was uninstalled, 401/403 need reconsent', () => {
    expect(classifyFailure(restlet(400, 'SSS_REQUEST_LIMIT_EXCEEDED'), production).status).toBe('degraded');
    expect(classifyFailure(restlet(500, 'UNEXPECTED_ERROR'), production).status).toBe('degraded');
    const gone = classifyFailure(restlet(400, 'SSS_INVALID_SCRIPTLET_ID'), production);
    expect(gone).toMatchObject({ status: 'needs_reconsent', cause: 'SSS_INVALID_SCRIPTLET_ID' });
    expect(gone.reason).toMatch(/bundle was uninstalled/);
    expect(classifyFailure(restlet(401, 'INVALID_LOGIN_CREDENTIALS'), production).status).toBe('needs_reconsent');
    expect(classifyFailure(restlet(403, 'INSUFFICIENT_PERMISSION'), production).status).toBe('needs_reconsent');
    // The audit cause, when known, names what happened behind a 401.
    expect(classifyFailure(restlet(401, 'INVALID_LOGIN'), { ...production, auditCause: 'EntityOrRoleDisabled' }).cause).toBe('EntityOrRoleDisabled');
    expect(classifyFailure(restlet(400, 'SBR_SOMETHING'), production).status).toBe('degraded');
  });

  it('network failures are degraded; an unfinished tenant is disconnected; others degraded with a redacted reason', () => {
    expect(classifyFailure(new TransportError('NETWORK_ERROR', 'ECONNRESET'), production)).toMatchObject({ status: 'degraded', cause: 'NETWORK_ERROR' });
    expect(classifyFailure(new OnboardingError('Tenant "t" has no uploaded certificate yet.', 'Finish it.'), production).status).toBe('disconnected');
    const other = classifyFailure(new StoreError('STORE_ERROR', 'store down, access_token=eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'), production);
    expect(other).toMatchObject({ status: 'degraded', cause: 'STORE_ERROR' });
    expect(other.reason).not.toMatch(/eyJhbGciOiJQUzI1NiJ9\.eyJzdWIiOiIxIn0/);
  });
});

describe('classifyHealth', () => {
  const health = { accountId: '1234567', environment: 'PRODUCTION', version: '1', userId: 7, roleId: 1001, roleScriptId: 'customrole_sbr_integration', remainingUsage: 1000, serverTime: '' };
  it('the app role is healthy; another role needs the customer', () => {
    expect(classifyHealth(health, 'CUSTOMROLE_SBR_INTEGRATION').status).toBe('healthy');
    expect(classifyHealth({ ...health, roleScriptId: 'administrator' }, 'customrole_sbr_integration')).toMatchObject({ status: 'needs_reconsent', cause: 'WrongRole' });
  });
});
