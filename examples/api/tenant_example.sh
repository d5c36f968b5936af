#!/usr/bin/env bash
# Manage one tenant through the SuiteBridge service's /v1 API with curl.
#   tenant_example.sh show     the tenant: status, reason, certificate and its expiry
#   tenant_example.sh rotate   a new certificate now (verify-then-switch; the old one is revoked)
#   tenant_example.sh remove   remove the tenant; its certificate is revoked at NetSuite
# Environment: SUITEBRIDGE_URL, SUITEBRIDGE_API_KEY (scopes tenants:read and tenants:manage), SUITEBRIDGE_TENANT.
# Prints the answer; exits non-zero (curl --fail-with-body) on a refusal, whose problem details are printed.
set -euo pipefail

: "${SUITEBRIDGE_URL:?set SUITEBRIDGE_URL}" "${SUITEBRIDGE_API_KEY:?set SUITEBRIDGE_API_KEY}" "${SUITEBRIDGE_TENANT:?set SUITEBRIDGE_TENANT}"
base="${SUITEBRIDGE_URL%/}/v1/tenants/${SUITEBRIDGE_TENANT}"

# The key goes in a header read from stdin, so it never shows in the process list.
api() {
  printf 'Authorization: Bearer %s\n' "$SUITEBRIDGE_API_KEY" |
    curl --silent --show-error --fail-with-body --header @- --header 'Accept: application/json' "$@"
  echo
}

case "${1:-}" in
  show) api "$base" ;;
  rotate) api --request POST "$base/certificates/rotate" ;;
  remove) api --request DELETE "$base" ;;
  *) sed -n '2,7p' "$0" >&2; exit 2 ;;
esac
