// The built TypeScript SDK (generated/typescript-client/dist) against a live service.
// Run by tests/sdk/test_typescript_sdk.py, which starts the service and passes
// SPECSERVE_TEST_URL, SPECSERVE_TEST_API_KEY, SPECSERVE_TEST_UNHEALTHY_URL and
// SPECSERVE_TEST_RATE_LIMITED_URL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ApiConnectionError,
  AuthenticationError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  SpecserveClient,
  UnprocessableEntityError,
  UnprocessableError,
  api,
} from '../../../generated/typescript-client/dist/index.js';

const baseUrl = process.env.SPECSERVE_TEST_URL;
const apiKey = process.env.SPECSERVE_TEST_API_KEY;
const ROWS = [[1500.5, 2, 0.75], [2000, 3, 0.85], [500.25, 1, 0.6]];
const fast = { maxRetries: 2, backoffMs: 20, maxBackoffMs: 50 };

/** The platform fetch, counting the attempts it makes. */
function countingFetch(log) {
  return (request, init) => {
    log.push(`${request.method} ${new URL(request.url).pathname}`);
    return fetch(request, init);
  };
}

test('predict, batchPredict, health, models with an API key', async () => {
  const client = new SpecserveClient({ baseUrl, apiKey });
  const one = await client.predict({ features: ROWS[0], metadata: { request_id: 'ts-1' } });
  assert.equal(one.request_id, 'ts-1');
  assert.equal(one.model_version, '1.0.0');
  const batch = await client.batchPredict({ requests: ROWS.map((features) => ({ features })) });
  assert.equal(batch.predictions.length, 3);
  assert.equal(batch.predictions[0].prediction, one.prediction);
  assert.equal((await client.health()).status, 'healthy');
  const models = await client.models();
  assert.deepEqual(models.models.map((m) => m.name), ['fraud-detector']);
  const meta = await client.model('fraud-detector');
  assert.equal(meta.n_features, 3);
  const features = Object.fromEntries(meta.feature_names.map((name, i) => [name, ROWS[0][i]]));
  const named = await client.predict({ features });
  assert.equal(named.prediction, one.prediction);
  assert.equal(named.probability, one.probability);
});

test('a bearer token issued for the key works and keeps its scope', async () => {
  const token = await new SpecserveClient({ baseUrl, apiKey }).issueToken({ scope: 'predict' });
  assert.equal(token.token_type, 'Bearer');
  const client = new SpecserveClient({ baseUrl, token: token.access_token });
  assert.equal((await client.predict({ features: ROWS[1] })).model_version, '1.0.0');
  await assert.rejects(client.models(), (error) => {
    assert.ok(error instanceof PermissionDeniedError);
    assert.equal(error.status, 403);
    assert.equal(error.code, 'insufficient_scope');
    return true;
  });
});

test('401 throws AuthenticationError with the request id and the problem document', async () => {
  const client = new SpecserveClient({
    baseUrl,
    apiKey: 'ssk_nope_nope',
    headers: { 'X-Request-ID': 'ts-unauthorized-1' },
  });
  await assert.rejects(client.predict({ features: ROWS[0] }), (error) => {
    assert.ok(error instanceof AuthenticationError);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'unauthorized');
    assert.equal(error.requestId, 'ts-unauthorized-1');
    assert.equal(error.problem.status, 401);
    return true;
  });
});

test('404 and 422 throw their classes', async () => {
  const client = new SpecserveClient({ baseUrl, apiKey });
  await assert.rejects(client.model('no-such-model'), NotFoundError);
  await assert.rejects(client.predict({ features: [1, 2] }), (error) => {
    assert.ok(error instanceof UnprocessableEntityError);
    assert.ok(error instanceof UnprocessableError); // the deprecated name
    assert.equal(error.code, 'feature_count_mismatch');
    return true;
  });
});

test('the generated per-operation functions share the client', async () => {
  const { client } = new SpecserveClient({ baseUrl, apiKey });
  const { data, response } = await api.predict({ client, body: { features: ROWS[2] } });
  assert.equal(response.status, 200);
  assert.equal(data.model_version, '1.0.0');
});

test('network errors are retried a bounded number of times', async () => {
  const log = [];
  const client = new SpecserveClient({
    baseUrl: 'http://127.0.0.1:9/v1',
    apiKey,
    retry: fast,
    fetch: countingFetch(log),
  });
  await assert.rejects(client.health(), ApiConnectionError);
  assert.equal(log.length, 3);
});

test('503 is retried with backoff, then thrown', async () => {
  const log = [];
  const client = new SpecserveClient({
    baseUrl: process.env.SPECSERVE_TEST_UNHEALTHY_URL,
    apiKey,
    retry: fast,
    fetch: countingFetch(log),
  });
  await assert.rejects(client.predict({ features: ROWS[0] }), ServiceUnavailableError);
  assert.deepEqual(log, ['POST /v1/predict', 'POST /v1/predict', 'POST /v1/predict']);
});

test(
  '429 is retried after Retry-After, then succeeds',
  async () => {
    const url = process.env.SPECSERVE_TEST_RATE_LIMITED_URL;
    const hasty = new SpecserveClient({ baseUrl: url, apiKey, retry: { maxRetries: 0 } });
    await assert.rejects(
      (async () => {
        for (let i = 0; i < 20; i++) await hasty.predict({ features: ROWS[0] });
      })(),
      (error) => error instanceof RateLimitError && error.retryAfterMs !== undefined,
    );
    const log = [];
    const patient = new SpecserveClient({ baseUrl: url, apiKey, fetch: countingFetch(log) });
    for (let i = 0; i < 6; i++) {
      assert.equal((await patient.predict({ features: ROWS[0] })).model_version, '1.0.0');
    }
    assert.ok(log.length > 6, 'no call was retried');
  },
);

test('every other operation, and the rate-limit headers with withResponse()', async () => {
  const client = new SpecserveClient({ baseUrl, apiKey });
  const named = await client.predictWithModel('fraud-detector', { features: ROWS[0] });
  const batch = await client.batchPredictWithModel('fraud-detector', { requests: [{ features: ROWS[0] }] });
  assert.equal(named.prediction, batch.predictions[0].prediction);
  const { data, response } = await client.predict({ features: ROWS[0] }).withResponse();
  assert.equal(response.status, 200);
  assert.equal(data.model_version, '1.0.0');
  assert.ok(Number(response.headers.get('x-ratelimit-remaining')) >= 0);
  assert.match(await client.getDocs(), /ML Model Inference API/);
  await assert.rejects(client.reloadModels(), PermissionDeniedError); // no admin scope
  assert.match(await client.getMetrics(), /specserve_http_requests_total/);
  assert.equal((await client.healthCheck()).status, 'healthy');
});
