// Compiled with `tsc --strict --noEmit` by tests/sdk/test_typescript_sdk.py against the built
// SDK's declarations: the public surface the docs and the README use keeps its types.
import {
  SpecserveClient,
  type APIPromise,
  type Health,
  type ModelList,
  type ModelMetadata,
  type PredictOptions,
  type PredictionResponse,
  type BatchPredictionResponse,
  type TokenResponse,
  type WithResponse,
  type Prediction,
  type BatchPrediction,
} from '../../../generated/typescript-client/dist/index.js';

const client: SpecserveClient = new SpecserveClient({ baseUrl: 'http://127.0.0.1:8000/v1', apiKey: 'k', maxRetries: 1 });
const tuned: SpecserveClient = client.withOptions({ timeoutMs: 1000, headers: { 'X-Request-ID': 'r' } });
const options: PredictOptions = { probabilities: true, timeoutMs: 500, signal: new AbortController().signal };
const body = { features: [1500.5, 2, 0.75], metadata: { request_id: 'req-1' } };

export const one: APIPromise<PredictionResponse> = tuned.predict(body, options);
export const raw: Promise<WithResponse<PredictionResponse>> = client.predict(body).withResponse();
export const batch: Promise<BatchPredictionResponse> = client.batchPredict({ requests: [body] }, { probabilities: false });
export const named: Promise<PredictionResponse> = client.predictWithModel('m', body, { maxRetries: 0 });
export const versioned: Promise<BatchPredictionResponse> = client.batchPredictWithModelVersion('m', '2', { requests: [body] });
export const meta: Promise<ModelMetadata> = client.getModelVersion('m', '2');
export const token: Promise<TokenResponse> = client.issueToken();
export const narrow: Promise<TokenResponse> = client.issueToken({ scope: 'predict' });
export const full: Promise<TokenResponse> = client.issueToken({ grant_type: 'client_credentials', scope: 'predict' });
export const health: Promise<Health> = client.health();
export const models: Promise<ModelList> = client.models();
export const model: Promise<ModelMetadata> = client.model('m', { timeoutMs: 10 });
export const metrics: Promise<string> = client.getMetrics();
export const docs: Promise<string> = client.getDocs();
export const reloaded: Promise<ModelList> = client.reloadModels();
// named features: an object of numbers, strings, booleans and nulls
export const byName: APIPromise<PredictionResponse> = client.predict({ features: { income: 52000, city: 'lyon', age: null } });
// @ts-expect-error: a feature value is a scalar
export const nested = client.predict({ features: { income: [1] } });
// @ts-expect-error: predict takes no model name
export const wrong = client.predict('m', body);
// @ts-expect-error: an option predict does not have
export const typo = client.predict(body, { probabilty: true });

// The high-level predict/batchPredict (issue 25): plain features, any model and version.
export const plain: APIPromise<Prediction> = client.predict([1500.5, 2, 0.75]);
export const routed: Promise<Prediction> = client.predict({ income: 52000, city: 'lyon', age: null }, { model: 'loan', version: '2', probabilities: true, scores: true, timeoutMs: 100 });
export const rows: APIPromise<BatchPrediction> = client.batchPredict([[1, 2], { a: 'x' }], { model: 'loan' });
export const rawPrediction: Promise<WithResponse<Prediction>> = client.predict([1]).withResponse();
export async function fields(): Promise<(number | string | null | number[])[]> {
  const p = await client.predict([1]);
  const b = await client.batchPredict([[1]]);
  const row: Prediction | undefined = b.predictions[0];
  return [p.prediction, p.probability, p.label, p.probabilities, p.score, p.model_version, p.request_id, p.processing_time_ms, p.requestId, b.total_processing_time_ms, b.requestId, row?.request_id ?? null];
}
// @ts-expect-error: a version needs its model
export const versionOnly = client.predict([1], { version: '2' });
// @ts-expect-error: a feature value is a scalar
export const nestedRow = client.predict({ income: [1] });
export const logged = new SpecserveClient({ apiKey: 'k', logLevel: 'debug', logger: console });
