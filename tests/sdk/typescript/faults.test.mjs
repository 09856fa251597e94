// The built TypeScript SDK against the fault-injecting stub (tests/sdk/stub_server.py).
// Run by tests/sdk/test_typescript_sdk.py, which starts the stub and passes SPECSERVE_STUB_URL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  APIConnectionError,
  APIError,
  APIStatusError,
  APITimeoutError,
  BadGatewayError,
  ConflictError,
  InternalServerError,
  PayloadTooLargeError,
  RateLimitError,
  ServiceUnavailableError,
  SpecserveClient,
} from '../../../generated/typescript-client/dist/index.js';

const root = process.env.SPECSERVE_STUB_URL;
const fast = { maxRetries: 2, backoffMs: 10, maxBackoffMs: 50 };
const body = { features: [1500.5, 2, 0.75] };
let serial = 0;

/** A base URL whose requests get `fault`, counted apart from every other test's. */
function stubUrl(fault) {
  serial += 1;
  return `${root}/${fault}.ts${process.pid}x${serial}/v1`;
}

async function count(url) {
  const token = url.slice(root.length + 1).split('/')[0];
  return (await (await fetch(`${root}/_count/${token}`)).json()).count;
}

const client = (baseUrl, options = {}) => new SpecserveClient({ baseUrl, apiKey: 'ssk_stub', retry: fast, ...options });

for (const [fault, Class, status] of [
  ['html-503', ServiceUnavailableError, 503],
  ['html-502', BadGatewayError, 502],
]) {
  test(`a proxy's HTML ${status} maps to ${Class.name} and is retried`, async () => {
    const url = stubUrl(fault);
    await assert.rejects(client(url).predict(body), (error) => {
      assert.ok(error instanceof Class && error instanceof InternalServerError);
      assert.ok(error instanceof APIStatusError && error instanceof APIError);
      assert.equal(error.status, status);
      assert.equal(error.code, `http_${status}`);
      assert.equal(error.requestId, 'stub-request-1');
      assert.match(error.message, /nginx/);
      return true;
    });
    assert.equal(await count(url), 3);
  });
}

test('an HTML 413 maps to PayloadTooLargeError and is not retried', async () => {
  const url = stubUrl('html-413');
  await assert.rejects(client(url).predict(body), PayloadTooLargeError);
  assert.equal(await count(url), 1);
});

test('a slow answer throws APITimeoutError, a connection error, retried when idempotent', async () => {
  const url = stubUrl('slow');
  await assert.rejects(client(url, { timeoutMs: 300 }).predict(body), (error) => {
    assert.ok(error instanceof APITimeoutError && error instanceof APIConnectionError);
    return true;
  });
  assert.equal(await count(url), 3);
  const once = stubUrl('slow');
  await assert.rejects(client(once).issueToken({}, { timeoutMs: 300 }), APITimeoutError);
  assert.equal(await count(once), 1); // not idempotent: never repeated
});

test('a reset connection is retried for predictions only', async () => {
  const url = stubUrl('reset');
  await assert.rejects(client(url).predict(body), APIConnectionError);
  assert.equal(await count(url), 3);
  const token = stubUrl('reset');
  await assert.rejects(client(token).issueToken(), APIConnectionError);
  assert.equal(await count(token), 1);
  const flaky = stubUrl('reset-once');
  assert.equal((await client(flaky).predict(body)).model_version, '1.0.0');
  assert.equal(await count(flaky), 2);
});

test('409 (not processed) is retried for any operation', async () => {
  const url = stubUrl('problem-409-once');
  assert.equal((await client(url).issueToken()).token_type, 'Bearer');
  assert.equal(await count(url), 2);
  await assert.rejects(client(stubUrl('problem-409')).issueToken(), (error) => {
    assert.ok(error instanceof ConflictError);
    assert.equal(error.code, 'conflict');
    return true;
  });
});

for (const fault of ['429-once', '429-ratelimit-once']) {
  test(`429 waits for the service's reset (${fault})`, async () => {
    const url = stubUrl(fault);
    const started = Date.now();
    assert.equal((await client(url).predict(body)).prediction, 1);
    assert.ok(Date.now() - started >= 1000);
    assert.equal(await count(url), 2);
  });
}

test('a Retry-After beyond the cap throws at once', async () => {
  const url = stubUrl('429-long');
  await assert.rejects(client(url).predict(body), (error) => {
    assert.ok(error instanceof RateLimitError);
    assert.equal(error.retryAfterMs, 3600_000);
    return true;
  });
  assert.equal(await count(url), 1);
});

test('a request costing more than the whole rate limit is never retried', async () => {
  const url = stubUrl('429-cost');
  await assert.rejects(client(url).predict(body), (error) => {
    assert.ok(error instanceof RateLimitError);
    assert.equal(error.code, 'cost_exceeds_limit');
    assert.equal(error.retryAfterMs, undefined);
    return true;
  });
  assert.equal(await count(url), 1);
});

test('a used-up quota throws at once, though its Retry-After is short', async () => {
  const url = stubUrl('429-quota');
  await assert.rejects(client(url).predict(body), (error) => {
    assert.ok(error instanceof RateLimitError);
    assert.equal(error.code, 'quota_exceeded');
    assert.equal(error.retryAfterMs, 1000);
    return true;
  });
  assert.equal(await count(url), 1);
});

test('an unhealthy service answers healthCheck; predictions throw', async () => {
  const url = stubUrl('unhealthy');
  assert.equal((await client(url).healthCheck()).status, 'unhealthy');
  assert.equal(await count(url), 1);
  await assert.rejects(client(url).predict(body), (error) => error.code === 'model_unavailable');
});

test('per-call and per-client options, withResponse, configuration from the environment', async () => {
  const url = stubUrl('html-503');
  await assert.rejects(client(url).predict(body, { maxRetries: 0 }), ServiceUnavailableError);
  await assert.rejects(client(url).withOptions({ maxRetries: 0 }).predict(body), ServiceUnavailableError);
  assert.equal(await count(url), 2);
  const ok = stubUrl('ok');
  const { data, response } = await client(ok).predict(body, { headers: { 'X-Request-ID': 'mine' } }).withResponse();
  assert.equal(response.status, 200);
  assert.equal(data.model_version, '1.0.0');
  const seen = [];
  process.env.SPECSERVE_BASE_URL = ok;
  process.env.SPECSERVE_API_KEY = 'ssk_from_env';
  const fromEnv = new SpecserveClient({ fetch: (request, init) => (seen.push(request), fetch(request, init)) });
  assert.equal(fromEnv.baseUrl, ok);
  await fromEnv.predict(body);
  assert.equal(seen[0].headers.get('x-api-key'), 'ssk_from_env');
  delete process.env.SPECSERVE_BASE_URL;
  assert.equal(new SpecserveClient().baseUrl, 'http://127.0.0.1:8000/v1');
});
