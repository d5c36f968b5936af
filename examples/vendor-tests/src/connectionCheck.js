'use strict';
// The vendor's code under test: asks a customer's account whether the integration still works, and what to do if not.
const { NetSuiteApiError, TokenEndpointError } = require('suitebridge');

const HEALTH = ['customscript_sbr_rl_health', 'customdeploy_sbr_rl_health'];

/** @param {import('suitebridge').RestletClient} restlet */
async function checkConnection(restlet) {
  try {
    const health = await restlet.get(...HEALTH);
    return { ok: true, accountId: health.accountId };
  } catch (err) {
    if (err instanceof NetSuiteApiError && err.netsuiteCode === 'SSS_REQUEST_LIMIT_EXCEEDED') return { ok: false, action: 'retry later' };
    if (err instanceof TokenEndpointError) return { ok: false, action: 'map a new certificate', cause: err.error };
    throw err;
  }
}

module.exports = { checkConnection };
