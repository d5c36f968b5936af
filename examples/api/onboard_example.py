#!/usr/bin/env python3
"""Onboard a customer account through the SuiteBridge service's /v1 API (Python standard library only).

  onboard_example.py start      print the authorization link for the customer's administrator
  onboard_example.py callback URL
                                hand over the URL their browser landed on at your redirect URI
  onboard_example.py continue   after they installed the bundle: run the remaining steps
  onboard_example.py wait-healthy
                                poll the tenant until the service reports it healthy (checked once onboarding completes)
  onboard_example.py show       the tenant: status, reason, certificate and its expiry
  onboard_example.py rotate     a new certificate now (verify-then-switch; the old one is revoked)
  onboard_example.py remove     remove the tenant; its certificate is revoked at NetSuite

Environment: SUITEBRIDGE_URL, SUITEBRIDGE_API_KEY (scopes tenants:manage and tenants:read), SUITEBRIDGE_TENANT, and
for `start`: NETSUITE_ACCOUNT, AUTH_CLIENT_ID, CC_CLIENT_ID, REDIRECT_URI, BUNDLE_ID.
Prints the onboarding state as JSON; exits 1 with the problem details on stderr when a call is refused.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ["SUITEBRIDGE_URL"].rstrip("/")
KEY = os.environ["SUITEBRIDGE_API_KEY"]
TENANT = os.environ["SUITEBRIDGE_TENANT"]


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + KEY)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        sys.stderr.write(error.read().decode("utf-8") + "\n")
        sys.exit(1)


def main(argv):
    path = "/v1/onboardings/" + urllib.parse.quote(TENANT, safe="")
    command = argv[1] if len(argv) > 1 else ""
    if command == "start":
        state = call("POST", "/v1/onboardings", {
            "tenant": TENANT,
            "accountId": os.environ["NETSUITE_ACCOUNT"],
            "authClientId": os.environ["AUTH_CLIENT_ID"],
            "ccClientId": os.environ["CC_CLIENT_ID"],
            "redirectUri": os.environ["REDIRECT_URI"],
            "bundleId": os.environ["BUNDLE_ID"],
        })
    elif command == "callback" and len(argv) > 2:
        state = call("POST", path + "/callback", {"callbackUrl": argv[2]})
    elif command == "continue":
        state = call("POST", path + "/continue")
    elif command == "wait-healthy":
        for _ in range(int(os.environ.get("WAIT_ATTEMPTS", "60"))):
            state = call("GET", "/v1/tenants/" + urllib.parse.quote(TENANT, safe=""))
            if state.get("status") == "healthy":
                break
            time.sleep(float(os.environ.get("WAIT_SECONDS", "5")))
        else:
            sys.stderr.write("not healthy yet: " + json.dumps(state) + "\n")
            sys.exit(1)
    elif command == "show":
        state = call("GET", "/v1/tenants/" + urllib.parse.quote(TENANT, safe=""))
    elif command == "rotate":
        state = call("POST", "/v1/tenants/" + urllib.parse.quote(TENANT, safe="") + "/certificates/rotate")
    elif command == "remove":
        state = call("DELETE", "/v1/tenants/" + urllib.parse.quote(TENANT, safe=""))
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
    print(json.dumps(state))


if __name__ == "__main__":
    main(sys.argv)
