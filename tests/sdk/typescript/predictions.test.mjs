// The built TypeScript SDK's high-level API (issue 25): one predict/batchPredict for every
// model and version, Prediction results with the request id, a key required up front,
// logging that never shows a secret, no retry of a 429 that can never fit. Run by
// tests/sdk/test_typescript_sdk.py against a live service (SPECSERVE_TEST_URL,
// SPECSERVE_TEST_API_KEY, SPECSERVE_TEST_RATE_LIMITED_URL) and a canned server of its own.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import {
  AuthenticationError,
  NotFoundError,
  RateLimitError,
  SpecserveClient,
  UnprocessableEntityError,
} from '../../../generated/typescript-client/dist/index.js';

const baseUrl = process.env.SPECSERVE_TEST_URL;
const apiKey = process.env.SPECSERVE_TEST_API_KEY;
const ROW = [1500.5, 2, 0.75];
const ROWS = [ROW, [2000, 3, 0.85], [500.25, 1, 0.6]];

/** The platform fetch, recording each request's method and path. */
function recordingFetch(log) {
  return (request, init) => {
    log.push(`${request.method} ${new URL(request.url).pathname}`);
    return fetch(request, init);
  };
}

test('predict routes by model and version; all give the same Prediction for the same row', async () => {
  const log = [];
  const api = new SpecserveClient({ baseUrl, apiKey, fetch: recordingFetch(log) });
  const latest = await api.predict(ROW);
  const byModel = await api.predict(ROW, { model: 'fraud-detector' });
  const byVersion = await api.predict(ROW, { model: 'fraud-detector', version: '1.0.0' });
  assert.deepEqual(log, [
    'POST /v1/predict',
    'POST /v1/models/fraud-detector/predict',
    'POST /v1/models/fraud-detector/versions/1.0.0/predict',
  ]);
  for (const result of [byModel, byVersion]) {
    assert.equal(result.prediction, latest.prediction);
    assert.equal(result.probability, latest.probability);
    assert.equal(result.model_version, '1.0.0');
  }
  const meta = await api.getModel('fraud-detector');
  const named = await api.predict(Object.fromEntries(meta.feature_names.map((name, i) => [name, ROW[i]])));
  assert.equal(named.prediction, latest.prediction);
});

test('a Prediction: absent values are null, the request id is the X-Request-ID header', async () => {
  const api = new SpecserveClient({ baseUrl, apiKey });
  const plain = await api.predict(ROW, { headers: { 'X-Request-ID': 'ts-hl-1' } });
  assert.equal(plain.requestId, 'ts-hl-1');
  assert.equal(typeof plain.request_id, 'string');
  assert.equal(plain.probabilities, null, 'not asked for');
  assert.equal(plain.score, null, 'not asked for');
  assert.equal(plain.label, null, 'numeric labels');
  assert.equal(typeof plain.processing_time_ms, 'number');
  const { data, response } = await api.predict(ROW, { probabilities: true, scores: true }).withResponse();
  assert.equal(data.requestId, response.headers.get('x-request-id'));
  assert.ok(data.requestId);
  assert.ok(Array.isArray(data.probabilities) && data.probabilities.length === 2);
  assert.equal(data.score, null, 'asked for, but a classifier has no outlier score');
  const shown = JSON.parse(JSON.stringify(data));
  assert.deepEqual(Object.keys(shown).sort(), [
    'label', 'model_version', 'prediction', 'probabilities', 'probability', 'processing_time_ms',
    'requestId', 'request_id', 'score',
  ]);
});

test('batchPredict takes plain rows, routes like predict, and each row has its own request id', async () => {
  const log = [];
  const api = new SpecserveClient({ baseUrl, apiKey, fetch: recordingFetch(log) });
  const one = await api.predict(ROWS[1]);
  const batch = await api.batchPredict(ROWS, { model: 'fraud-detector', headers: { 'X-Request-ID': 'ts-batch-1' } });
  const pinned = await api.batchPredict(ROWS, { model: 'fraud-detector', version: '1.0.0', probabilities: true });
  const latest = await api.batchPredict(ROWS);
  assert.deepEqual(log.slice(1), [
    'POST /v1/models/fraud-detector/batch_predict',
    'POST /v1/models/fraud-detector/versions/1.0.0/batch_predict',
    'POST /v1/batch_predict',
  ]);
  assert.equal(batch.requestId, 'ts-batch-1');
  assert.equal(batch.predictions.length, 3);
  assert.equal(typeof batch.total_processing_time_ms, 'number');
  assert.equal(batch.predictions[1].prediction, one.prediction);
  assert.equal(new Set(batch.predictions.map((p) => p.request_id)).size, 3);
  assert.ok(batch.predictions.every((p) => p.probabilities === null && p.score === null && p.requestId === null));
  assert.ok(pinned.predictions.every((p) => Array.isArray(p.probabilities)));
  assert.deepEqual(latest.predictions.map((p) => p.prediction), batch.predictions.map((p) => p.prediction));
});

test('a version without a model rejects before any request', async () => {
  const log = [];
  const api = new SpecserveClient({ baseUrl, apiKey, fetch: recordingFetch(log) });
  await assert.rejects(api.predict(ROW, { version: '1.0.0' }), (error) => {
    assert.ok(error instanceof TypeError);
    assert.match(error.message, /needs a model/);
    return true;
  });
  await assert.rejects(api.batchPredict(ROWS, { version: '1.0.0' }).withResponse(), TypeError);
  assert.deepEqual(log, []);
});

test('errors of the routed calls are the typed errors', async () => {
  const api = new SpecserveClient({ baseUrl, apiKey });
  await assert.rejects(api.predict(ROW, { model: 'no-such-model' }), NotFoundError);
  await assert.rejects(api.predict([1, 2]), UnprocessableEntityError);
  const bad = new SpecserveClient({ baseUrl, apiKey: 'ssk_nope_nope' });
  await assert.rejects(bad.batchPredict(ROWS), AuthenticationError);
});

test('the operation body forms still answer the body as sent', async () => {
  const api = new SpecserveClient({ baseUrl, apiKey });
  const body = await api.predict({ features: ROW, metadata: { request_id: 'ts-body-1' } });
  assert.equal(body.request_id, 'ts-body-1');
  assert.equal('requestId' in body, false);
  const batch = await api.batchPredict({ requests: ROWS.map((features) => ({ features })) });
  assert.equal(batch.predictions.length, 3);
});

test('no key anywhere: the constructor throws, naming SPECSERVE_API_KEY', () => {
  const saved = process.env.SPECSERVE_API_KEY;
  delete process.env.SPECSERVE_API_KEY;
  try {
    assert.throws(() => new SpecserveClient({ baseUrl }), /SPECSERVE_API_KEY/);
    assert.throws(() => new SpecserveClient({ baseUrl, apiKey: '' }), /SPECSERVE_API_KEY/);
    assert.ok(new SpecserveClient({ baseUrl, token: 'a-token' }));
    process.env.SPECSERVE_API_KEY = apiKey;
    assert.ok(new SpecserveClient({ baseUrl }));
  } finally {
    if (saved === undefined) delete process.env.SPECSERVE_API_KEY;
    else process.env.SPECSERVE_API_KEY = saved;
  }
});

test('logLevel info logs each request with status, request id and time, never the key', async () => {
  const lines = [];
  const logger = { debug: (m) => lines.push(['debug', m]), info: (m) => lines.push(['info', m]) };
  const api = new SpecserveClient({ baseUrl, apiKey, logLevel: 'info', logger });
  await api.predict(ROW, { model: 'fraud-detector', headers: { 'X-Request-ID': 'ts-log-1' } });
  await api.healthCheck();
  assert.equal(lines.length, 2);
  assert.ok(lines.every(([level]) => level === 'info'));
  assert.match(lines[0][1], /^specserve: POST \/v1\/models\/fraud-detector\/predict 200 request_id=ts-log-1 \d+ ms$/);
  assert.match(lines[1][1], /^specserve: GET \/v1\/health 200 /);
  assert.ok(!JSON.stringify(lines).includes(apiKey));
  const quiet = [];
  await new SpecserveClient({ baseUrl, apiKey, logger: { debug: (m) => quiet.push(m), info: (m) => quiet.push(m) } }).predict(ROW);
  assert.deepEqual(quiet, [], 'off unless asked for');
});

test('an unknown logLevel throws; an unknown SPECSERVE_LOG warns once and logs nothing', async () => {
  assert.throws(() => new SpecserveClient({ baseUrl, apiKey, logLevel: 'verbose' }), {
    name: 'TypeError',
    message: /logLevel 'verbose' is not a log level/,
  });
  const warnings = [];
  const original = console.warn;
  process.env.SPECSERVE_LOG = 'verbose';
  console.warn = (message) => warnings.push(String(message));
  try {
    const api = new SpecserveClient({ baseUrl, apiKey });
    await api.predict(ROW);
    await api.predict(ROW);
  } finally {
    console.warn = original;
    delete process.env.SPECSERVE_LOG;
  }
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /SPECSERVE_LOG='verbose' is not a log level/);
});

test('SPECSERVE_LOG=debug logs every attempt, retry and wait of a rate-limited key; never the key', async () => {
  const lines = [];
  const original = console.error;
  process.env.SPECSERVE_LOG = 'debug';
  console.error = (message) => lines.push(String(message));
  try {
    const api = new SpecserveClient({ baseUrl: process.env.SPECSERVE_TEST_RATE_LIMITED_URL, apiKey });
    for (let i = 0; i < 6; i++) await api.predict(ROW);
  } finally {
    console.error = original;
    delete process.env.SPECSERVE_LOG;
  }
  assert.ok(lines.some((line) => /^specserve: POST \/v1\/predict 429 request_id=\S+ \d+ ms$/.test(line)), lines.join('\n'));
  assert.ok(
    lines.some((line) => /^specserve: retrying POST \/v1\/predict after 429 \(retry 1 of 3\): waiting \d+\.\d\d s$/.test(line)),
    lines.join('\n'),
  );
  assert.ok(lines.filter((line) => / 200 /.test(line)).length === 6);
  assert.ok(!lines.join('\n').includes(apiKey));
});

// A canned server answering 429s without Retry-After, counting the requests.
let canned;
const hits = { count: 0 };
const cannedAnswers = {
  '/v1/models/big/batch_predict': ['request_exceeds_limit', {}],
  '/v1/models/huge/batch_predict': ['cost_exceeds_limit', { 'Retry-After': '1' }],
  '/v1/models/busy/batch_predict': ['rate_limited', {}],
};

before(async () => {
  canned = createServer((request, response) => {
    hits.count += 1;
    const [error, headers] = cannedAnswers[new URL(request.url, 'http://x').pathname] ?? ['not_found', {}];
    const status = error === 'not_found' ? 404 : 429;
    response.writeHead(status, { 'Content-Type': 'application/problem+json', 'X-Request-ID': `canned-${hits.count}`, ...headers });
    response.end(JSON.stringify({ error, message: error, status, title: 'Too Many Requests', detail: error }));
  });
  await new Promise((done) => canned.listen(0, '127.0.0.1', done));
});

after(() => canned.close());

test('a 429 that can never fit throws at once: no retry, no wait', async () => {
  const lines = [];
  const logger = { debug: (m) => lines.push(m), info: (m) => lines.push(m) };
  const url = `http://127.0.0.1:${canned.address().port}/v1`;
  const api = new SpecserveClient({ baseUrl: url, apiKey, logLevel: 'debug', logger, retry: { backoffMs: 10, maxBackoffMs: 20 } });
  for (const model of ['big', 'huge']) {
    hits.count = 0;
    const started = Date.now();
    await assert.rejects(api.batchPredict(ROWS, { model }), RateLimitError);
    assert.equal(hits.count, 1, model);
    assert.ok(Date.now() - started < 500, model);
  }
  hits.count = 0;
  await assert.rejects(api.batchPredict(ROWS, { model: 'busy' }), RateLimitError);
  assert.equal(hits.count, 4, 'a 429 that waiting can mend is retried');
  assert.equal(lines.filter((line) => line.includes('retrying')).length, 3);
  assert.ok(!lines.join('\n').includes(apiKey));
});
