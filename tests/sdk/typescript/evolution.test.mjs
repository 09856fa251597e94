// The built TypeScript SDK against answers from a later version of the API: enum values and
// properties it has never seen, and deprecated operations (RFC 9745 `Deprecation`, RFC 8594
// `Sunset`, `Link; rel="deprecation"`). The answers come from a canned server in this process.
// Run by tests/sdk/test_typescript_sdk.py.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { DEPRECATION_WARNING_CODE, SpecserveClient } from '../../../generated/typescript-client/dist/index.js';

const DEPRECATED_AT = 1767225600; // 2026-01-01T00:00:00Z
const SUNSET = 'Fri, 01 Jan 2027 00:00:00 GMT';
const DOCS = 'https://example.com/docs/migrate-predict';

const prediction = {
  prediction: 1,
  probability: 0.9,
  model_version: '3.0.0',
  request_id: 'r-1',
  processing_time_ms: 0.5,
  score: 0.42, // a property this SDK's spec does not have
};
const model = {
  name: 'ranker',
  version: '3.0.0',
  status: 'warming-up', // not in ModelStatus
  description: '',
  framework: 'onnx',
  feature_names: ['a'],
  n_features: 1,
  task: 'ranking', // not in the task enum
  classes: [],
  metrics: {},
  runtime: 'tensorrt', // not in the runtime enum
  parity: null,
  pinned: null,
  calibration: { method: 'isotonic' }, // a property this SDK's spec does not have
};
const health = {
  status: 'maintenance',
  uptime_seconds: 1,
  model_loaded: true,
  model_version: '3.0.0',
  checks: { gpu: { status: 'throttled' } },
  region: 'eu',
};
const deprecation = {
  Deprecation: `@${DEPRECATED_AT}`,
  Sunset: SUNSET,
  Link: `<https://example.com/docs>; rel="service-doc", <${DOCS}>; rel="deprecation"`,
};

const routes = {
  'POST /v1/predict': [prediction, deprecation],
  'POST /v1/batch_predict': [{ predictions: [prediction], total_processing_time_ms: 1 }, { Deprecation: '@1767225600' }],
  'GET /v1/models/ranker': [model, {}],
  'POST /v1/models/ranker/predict': [prediction, {}],
  'GET /v1/health': [health, {}],
};

let server;
let client;

before(async () => {
  server = createServer((request, response) => {
    const [body, headers] = routes[`${request.method} ${request.url.split('?')[0]}`] ?? [{}, {}];
    request.resume();
    response.writeHead(200, { 'Content-Type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new SpecserveClient({ baseUrl: `http://127.0.0.1:${server.address().port}/v1`, apiKey: 'ssk_x' });
});

after(() => server.close());

/** The DeprecationWarnings emitted while `run` runs. */
async function warningsDuring(run) {
  const seen = [];
  const listener = (warning) => warning.name === 'DeprecationWarning' && seen.push(warning);
  process.on('warning', listener);
  try {
    await run();
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

test('unknown enum values pass through as strings', async () => {
  const got = await client.getModel('ranker');
  assert.equal(got.task, 'ranking');
  assert.equal(got.runtime, 'tensorrt');
  assert.equal(got.status, 'warming-up');
  const status = await client.health();
  assert.equal(status.status, 'maintenance');
  assert.equal(status.checks.gpu.status, 'throttled');
});

test('unknown response properties are kept', async () => {
  assert.deepEqual((await client.getModel('ranker')).calibration, { method: 'isotonic' });
  assert.equal((await client.predictWithModel('ranker', { features: [1] })).score, 0.42);
  assert.equal((await client.health()).region, 'eu');
});

test('a deprecated operation warns once, with its date, sunset and link', async () => {
  const warnings = await warningsDuring(async () => {
    await client.predict({ features: [1] });
    await client.predict({ features: [1] });
    await client.withOptions({ timeoutMs: 5000 }).predict({ features: [1] });
    await client.getModel('ranker'); // not deprecated: no warning
  });
  assert.equal(warnings.length, 1);
  const [warning] = warnings;
  assert.equal(warning.code, DEPRECATION_WARNING_CODE);
  assert.match(warning.message, /predict \(POST \/predict\) is deprecated since 2026-01-01/);
  assert.ok(warning.message.includes(SUNSET), warning.message);
  assert.ok(warning.message.includes(`see ${DOCS}`), warning.message);
  assert.ok(!warning.message.includes('service-doc'), warning.message);
});

test('each deprecated operation warns on its own, with what the headers say', async () => {
  const warnings = await warningsDuring(() => client.batchPredict({ requests: [{ features: [1] }] }));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0].message, /^specserve: batchPredict \(POST \/batch_predict\) is deprecated since 2026-01-01$/);
});
