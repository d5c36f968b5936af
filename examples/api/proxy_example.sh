#!/usr/bin/env bash
# Call NetSuite through the SuiteBridge service's /v1 proxy with curl.
# Environment: SUITEBRIDGE_URL (e.g. http://127.0.0.1:8787), SUITEBRIDGE_API_KEY (scopes proxy and tenants:read),
# SUITEBRIDGE_TENANT. Prints each answer on its own line; exits non-zero (curl --fail-with-body) on a refusal, whose
# problem details (code, detail, remedy) are printed.
set -euo pipefail

: "${SUITEBRIDGE_URL:?set SUITEBRIDGE_URL}" "${SUITEBRIDGE_API_KEY:?set SUITEBRIDGE_API_KEY}" "${SUITEBRIDGE_TENANT:?set SUITEBRIDGE_TENANT}"
base="${SUITEBRIDGE_URL%/}/v1/tenants/${SUITEBRIDGE_TENANT}"

# The key goes in a header read from stdin, so it never shows in the process list.
api() {
  printf 'Authorization: Bearer %s\n' "$SUITEBRIDGE_API_KEY" |
    curl --silent --show-error --fail-with-body --header @- --header 'Accept: application/json' "$@"
  echo
}

api "$base"
api "$base/restlets/customscript_sbr_rl_health/customdeploy_sbr_rl_health"
api --request POST --header 'Content-Type: application/json' \
  --data '{"q": "SELECT id, companyname FROM customer ORDER BY id"}' \
  "$base/suiteql?all=true&maxRows=5"
api "$base/records/customer/1001"
