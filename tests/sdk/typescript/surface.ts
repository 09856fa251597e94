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
