#!/usr/bin/env python3
"""Call NetSuite through the SuiteBridge service's /v1 proxy with the Python standard library only: the tenant, a
RESTlet, a SuiteQL query and a REST record.

Environment:
  SUITEBRIDGE_URL      the service, e.g. http://127.0.0.1:8787
  SUITEBRIDGE_API_KEY  a key with the proxy and tenants:read scopes (`suitebridge api-keys create`)
  SUITEBRIDGE_TENANT   the tenant to use
Prints one JSON object per step on stdout; exits 1 with the problem details on stderr when a call is refused.
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ["SUITEBRIDGE_URL"].rstrip("/")
KEY = os.environ["SUITEBRIDGE_API_KEY"]
TENANT = urllib.parse.quote(os.environ["SUITEBRIDGE_TENANT"], safe="")


def call(method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + KEY)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8") or "null")
    except urllib.error.HTTPError as error:
        # Refusals are RFC 9457 problem details: code, detail and remedy say what happened and what to do.
        sys.stderr.write(error.read().decode("utf-8") + "\n")
        sys.exit(1)


def main():
    tenant = call("GET", f"/v1/tenants/{TENANT}")
    print(json.dumps({"step": "tenant", "status": tenant["status"], "accountId": tenant["accountId"]}))

    health = call("GET", f"/v1/tenants/{TENANT}/restlets/customscript_sbr_rl_health/customdeploy_sbr_rl_health")
    print(json.dumps({"step": "restlet", "roleScriptId": health.get("roleScriptId")}))

    rows = call("POST", f"/v1/tenants/{TENANT}/suiteql?all=true&maxRows=5",
                {"q": "SELECT id, companyname FROM customer ORDER BY id"})
    print(json.dumps({"step": "suiteql", "count": rows["count"], "truncated": rows["truncated"], "first": rows["items"][0]}))

    customer = call("GET", f"/v1/tenants/{TENANT}/records/customer/{urllib.parse.quote(str(rows['items'][0]['id']), safe='')}")
    print(json.dumps({"step": "record", "id": customer["id"]}))


if __name__ == "__main__":
    main()
