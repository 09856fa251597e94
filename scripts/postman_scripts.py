"""The scripts `make generate` adds to the Postman collection: a collection pre-request script
that gets a bearer token for `{{apiKey}}` when there is none (or it is about to expire), a
test script per request asserting the spec's success status, and, on the token request,
storing the issued token in `{{bearerToken}}`."""

from __future__ import annotations

from typing import Any

VARIABLES = {
    "baseUrl": "http://127.0.0.1:8000/v1",
    "apiKey": "",
    "bearerToken": "",
    "bearerTokenExpiresAt": "0",
}

PRE_REQUEST = """\
// A bearer token for {{apiKey}} when there is none yet, or it expires within 30 s.
const key = pm.variables.get('apiKey');
const expiresAt = Number(pm.collectionVariables.get('bearerTokenExpiresAt') || 0);
const own = pm.request.auth && pm.request.auth.type;
const needs = own !== 'noauth' && own !== 'apikey';
const stale = !pm.collectionVariables.get('bearerToken') || Date.now() > expiresAt - 30000;
if (needs && key && stale) {
  pm.sendRequest({
    url: pm.variables.replaceIn('{{baseUrl}}/auth/token'),
    method: 'POST',
    header: [{ key: 'X-API-Key', value: key }],
    body: { mode: 'urlencoded', urlencoded: [{ key: 'grant_type', value: 'client_credentials' }] },
  }, (error, response) => {
    if (error || response.code !== 200) return;
    const token = response.json();
    pm.collectionVariables.set('bearerToken', token.access_token);
    const expires = String(Date.now() + token.expires_in * 1000);
    pm.collectionVariables.set('bearerTokenExpiresAt', expires);
  });
}"""

STORE_TOKEN = """\
pm.test('the issued token is stored in bearerToken', () => {
  const token = pm.response.json();
  pm.expect(token.token_type).to.eql('Bearer');
  pm.collectionVariables.set('bearerToken', token.access_token);
  pm.collectionVariables.set('bearerTokenExpiresAt', String(Date.now() + token.expires_in * 1000));
});"""


def success_status(operation: dict[str, Any]) -> int:
    return min(int(code) for code in operation["responses"] if str(code).startswith("2"))


def _script(kind: str, source: str) -> dict[str, Any]:
    return {"listen": kind, "script": {"type": "text/javascript", "exec": source.splitlines()}}


def tests(operation: dict[str, Any], stores_token: bool) -> list[dict[str, Any]]:
    status = success_status(operation)
    source = (
        f"pm.test('status is {status}', () => pm.response.to.have.status({status}));\n"
        "pm.test('X-Request-ID is set', () => pm.response.to.have.header('X-Request-ID'));"
    )
    if stores_token:
        source += "\n" + STORE_TOKEN
    return [_script("test", source)]


def collection_events() -> list[dict[str, Any]]:
    return [_script("prerequest", PRE_REQUEST)]
