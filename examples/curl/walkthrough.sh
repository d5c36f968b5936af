#!/usr/bin/env bash
# The curl walkthrough of docs/emulator.md ("Walkthrough: a token with curl"), block by block: an authorization code
# with PKCE through the emulator's forms, a SuiteQL call, a refresh, then a certificate mapped with the certificate
# API and a client-credentials token from a signed assertion. test/packages/examples.test.ts runs it against the
# suitebridge-emulator command. Needs curl, openssl and node with jose resolvable (it comes with suitebridge).
#   npx suitebridge-emulator --port 4010 &   then   PORT=4010 bash walkthrough.sh
# Writes jar, m2m-key.pem, m2m-cert.pem and upload.json in the current directory.
set -euo pipefail

P=${PORT:-4010}   # the emulator's port
B=http://127.0.0.1:$P
A=http://1234567.app.localhost:$P; S=http://1234567.suitetalk.localhost:$P; R=http://1234567.restlets.localhost:$P
SEED=$(curl -s $B/__emulator/seed)
CID=$(echo "$SEED" | node -pe 'JSON.parse(require("fs").readFileSync(0)).integrations[0].clientId')   # public client
CCID=$(echo "$SEED" | node -pe 'JSON.parse(require("fs").readFileSync(0)).integrations[1].clientId')  # confidential (M2M)
PW=$(echo "$SEED" | node -pe 'JSON.parse(require("fs").readFileSync(0)).users[0].password')           # admin@example.com
field() { node -pe "JSON.parse(require('fs').readFileSync(0)).$1"; }   # read one field of a JSON answer

VERIFIER=$(openssl rand -hex 32)
CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')
STATE=$(openssl rand -hex 16)            # 22–1024 printable characters
AUTH="$A/app/login/oauth2/authorize.nl?response_type=code&client_id=$CID&redirect_uri=https%3A%2F%2F127.0.0.1%3A8899%2Fcallback&scope=restlets%20rest_webservices&state=$STATE&code_challenge=$CHALLENGE&code_challenge_method=S256"

FLOW=$(curl -s "$AUTH" | sed -n 's/.*name="flow" value="\([^"]*\)".*/\1/p')
LOC=$(curl -s -c jar -o /dev/null -w '%{redirect_url}' $A/app/login/oauth2/authorize.nl \
  --data-urlencode "flow=$FLOW" -d action=login -d email=admin@example.com --data-urlencode "password=$PW")
# First time for this client and user the consent page comes back instead of a redirect ($LOC is empty): allow it.
[ -z "$LOC" ] && LOC=$(curl -s -b jar -o /dev/null -w '%{redirect_url}' $A/app/login/oauth2/authorize.nl \
  --data-urlencode "flow=$FLOW" -d action=allow -d role=3)
echo "$LOC"        # …/callback?state=…&role=3&entity=7&company=1234567&code=…
CODE=$(echo "$LOC" | sed 's/.*[?&]code=\([^&]*\).*/\1/')

TOKENS=$(curl -s $S/services/rest/auth/oauth2/v1/token -d grant_type=authorization_code -d client_id=$CID \
  -d code=$CODE -d redirect_uri=https://127.0.0.1:8899/callback -d code_verifier=$VERIFIER)
echo "$TOKENS"   # {"access_token":"eyJ…","refresh_token":"eyJ…","expires_in":"3600","token_type":"Bearer"}
ACCESS=$(echo "$TOKENS" | field access_token); REFRESH=$(echo "$TOKENS" | field refresh_token)

curl -s $S/services/rest/query/v1/suiteql?limit=5 -H "Authorization: Bearer $ACCESS" -H 'Prefer: transient' \
  -H 'Content-Type: application/json' -d '{"q":"SELECT id, companyname FROM customer"}'
TOKENS=$(curl -s $S/services/rest/auth/oauth2/v1/token -d grant_type=refresh_token -d client_id=$CID -d refresh_token=$REFRESH)
ACCESS=$(echo "$TOKENS" | field access_token); REFRESH=$(echo "$TOKENS" | field refresh_token)

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout m2m-key.pem -out m2m-cert.pem -days 365 -subj "/CN=suitebridge-m2m"

node -e 'process.stdout.write(JSON.stringify({fileContent: require("fs").readFileSync("m2m-cert.pem","utf8"), role: 3, entity: 7}))' > upload.json
KID=$(curl -s $R/services/rest/auth/oauth2/v1/clients/$CCID/certificates -H "Authorization: Bearer $ACCESS" \
  -H 'Content-Type: application/json' --data @upload.json | node -pe 'JSON.parse(require("fs").readFileSync(0)).certificate_id')

ASSERTION=$(KID=$KID CID=$CCID AUD=$S/services/rest/auth/oauth2/v1/token node -e '
const { SignJWT, importPKCS8 } = require("jose");
(async () => {
  const key = await importPKCS8(require("fs").readFileSync("m2m-key.pem", "utf8"), "ES256");
  const now = Math.floor(Date.now() / 1000);
  process.stdout.write(await new SignJWT({ scope: ["restlets", "rest_webservices"] })
    .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: process.env.KID })
    .setIssuer(process.env.CID).setAudience(process.env.AUD).setIssuedAt(now).setExpirationTime(now + 300).sign(key));
})();')
curl -s $S/services/rest/auth/oauth2/v1/token -d grant_type=client_credentials \
  -d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer -d client_assertion=$ASSERTION
# {"access_token":"eyJ…","expires_in":"3600","token_type":"Bearer"}   (no refresh token: sign a new assertion)

# Revoke the refresh token last (it ends the whole rotation chain); 200 with an empty body.
curl -s -o /dev/null -w 'revoke: %{http_code}\n' $S/services/rest/auth/oauth2/v1/revoke -d client_id=$CID -d token=$REFRESH
