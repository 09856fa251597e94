// hand-written: copied from sdk-templates/typescript/src/specserve.ts by `make generate`; edit it there, not here
// The high-level client: one method per operation of the spec (named by its operationId),
// each a thin call of the generated function through `send`, which adds the retries
// (`retry.ts`), timeouts, per-call options and the typed errors (`errors.ts`).
// A new operation in the spec needs one method here; tests/sdk fail until it has one.
import { createClient, createConfig, type Client } from './gen/client/index.js';
import * as gen from './gen/sdk.gen.js';
import type {
  BatchPredictData,
  BatchPredictionResponse,
  BatchPredictWithModelData,
  BatchPredictWithModelVersionData,
  Health,
  IssueTokenData,
  ModelList,
  ModelMetadata,
  PredictData,
  PredictionResponse,
  PredictWithModelData,
  PredictWithModelVersionData,
  TokenResponse,
} from './gen/types.gen.js';
import { APIConnectionError, APIError, errorFor } from './errors.js';
import { OPERATIONS, type OperationId } from './operations.gen.js';
import { DEFAULT_RETRY, retryingFetch, type RetryOptions } from './retry.js';

export const ENV_BASE_URL = 'SPECSERVE_BASE_URL';
export const ENV_API_KEY = 'SPECSERVE_API_KEY';
export const DEFAULT_BASE_URL = 'http://127.0.0.1:8000/v1';

export interface SpecserveClientOptions {
  /** Default `$SPECSERVE_BASE_URL`, else `http://127.0.0.1:8000/v1`. */
  baseUrl?: string;
  /** Sent as `X-API-Key`; default `$SPECSERVE_API_KEY` unless `token` is given. */
  apiKey?: string;
  /** Sent as `Authorization: Bearer`. */
  token?: string;
  /** Per attempt, in ms (default 30000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3); shorthand for `retry.maxRetries`. */
  maxRetries?: number;
  retry?: RetryOptions;
  headers?: Record<string, string>;
  /** The fetch implementation (default `globalThis.fetch`). */
  fetch?: typeof fetch;
}

/** Options for one call. */
export interface RequestOptions {
  timeoutMs?: number;
  maxRetries?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Options of the prediction methods: `probabilities: true` adds each class's probability. */
export interface PredictOptions extends RequestOptions {
  probabilities?: boolean;
}

function predictQuery(options?: PredictOptions): { query?: { probabilities: boolean } } {
  return options?.probabilities === undefined ? {} : { query: { probabilities: options.probabilities } };
}

/** A result with the response it came from (status, headers: the rate-limit headers, ...). */
export interface WithResponse<T> {
  data: T;
  response: Response;
}

/** What every method returns: the typed result, and `.withResponse()` for the response too. */
export type APIPromise<T> = Promise<T> & { withResponse(): Promise<WithResponse<T>> };

type Outcome = { data?: unknown; error?: unknown; response?: Response };
type Call = (options: {
  client: Client;
  fetch: typeof fetch;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}) => Promise<Outcome>;

function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.[name] || undefined;
}

function apiPromise<T>(raw: Promise<WithResponse<T>>): APIPromise<T> {
  const data = raw.then((result) => result.data);
  data.catch(() => undefined); // a caller using only withResponse() sees the error there
  return Object.assign(data, { withResponse: () => raw });
}

export class SpecserveClient {
  /** The generated client, for the per-operation functions (`api.*`). */
  readonly client: Client;
  readonly baseUrl: string;
  private readonly options: SpecserveClientOptions;
  private readonly policy: Required<RetryOptions>;

  constructor(options: SpecserveClientOptions = {}) {
    if (options.apiKey && options.token) throw new TypeError('pass apiKey or token, not both');
    const apiKey = options.apiKey ?? (options.token ? undefined : env(ENV_API_KEY));
    const { token } = options;
    this.options = { ...options, apiKey };
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    if (options.maxRetries !== undefined) this.policy.maxRetries = options.maxRetries;
    this.baseUrl = (options.baseUrl ?? env(ENV_BASE_URL) ?? DEFAULT_BASE_URL).replace(/\/$/, '');
    this.client = createClient(
      createConfig({
        baseUrl: this.baseUrl,
        headers: options.headers,
        fetch: this.fetchFor(true, {}),
        auth: (auth) => (auth.type === 'apiKey' ? apiKey : auth.scheme === 'bearer' ? token : undefined),
      }),
    );
  }

  /** A client with other defaults (timeout, retries, headers, credentials). */
  withOptions(options: SpecserveClientOptions): SpecserveClient {
    const headers = { ...this.options.headers, ...options.headers };
    const retry = { ...this.options.retry, ...options.retry };
    return new SpecserveClient({ ...this.options, ...options, headers, retry });
  }

  /** Single prediction with the default model (`POST /predict`). */
  predict(body: PredictData['body'], options?: PredictOptions): APIPromise<PredictionResponse> {
    return this.send('predict', (o) => gen.predict({ ...o, ...predictQuery(options), body }), options);
  }

  /** Up to 100 predictions with the default model, in request order (`POST /batch_predict`). */
  batchPredict(body: BatchPredictData['body'], options?: PredictOptions): APIPromise<BatchPredictionResponse> {
    return this.send('batchPredict', (o) => gen.batchPredict({ ...o, ...predictQuery(options), body }), options);
  }

  /** The models the service holds (`GET /models`). */
  listModels(options?: RequestOptions): APIPromise<ModelList> {
    return this.send('listModels', (o) => gen.listModels(o), options);
  }

  /** One model's metadata (`GET /models/{model_name}`). */
  getModel(modelName: string, options?: RequestOptions): APIPromise<ModelMetadata> {
    return this.send('getModel', (o) => gen.getModel({ ...o, path: { model_name: modelName } }), options);
  }

  /** Single prediction with a named model (`POST /models/{model_name}/predict`). */
  predictWithModel(
    modelName: string,
    body: PredictWithModelData['body'],
    options?: PredictOptions,
  ): APIPromise<PredictionResponse> {
    const path = { model_name: modelName };
    return this.send('predictWithModel', (o) => gen.predictWithModel({ ...o, ...predictQuery(options), path, body }), options);
  }

  /** Batch predictions with a named model (`POST /models/{model_name}/batch_predict`). */
  batchPredictWithModel(
    modelName: string,
    body: BatchPredictWithModelData['body'],
    options?: PredictOptions,
  ): APIPromise<BatchPredictionResponse> {
    const path = { model_name: modelName };
    return this.send('batchPredictWithModel', (o) => gen.batchPredictWithModel({ ...o, ...predictQuery(options), path, body }), options);
  }

  /** One version's metadata (`GET /models/{model_name}/versions/{version}`). */
  getModelVersion(modelName: string, version: string, options?: RequestOptions): APIPromise<ModelMetadata> {
    const path = { model_name: modelName, version };
    return this.send('getModelVersion', (o) => gen.getModelVersion({ ...o, path }), options);
  }

  /** Single prediction with one version of a model (`POST /models/{model_name}/versions/{version}/predict`). */
  predictWithModelVersion(
    modelName: string,
    version: string,
    body: PredictWithModelVersionData['body'],
    options?: PredictOptions,
  ): APIPromise<PredictionResponse> {
    const path = { model_name: modelName, version };
    return this.send('predictWithModelVersion', (o) => gen.predictWithModelVersion({ ...o, ...predictQuery(options), path, body }), options);
  }

  /** Batch predictions with one version of a model (`POST /models/{model_name}/versions/{version}/batch_predict`). */
  batchPredictWithModelVersion(
    modelName: string,
    version: string,
    body: BatchPredictWithModelVersionData['body'],
    options?: PredictOptions,
  ): APIPromise<BatchPredictionResponse> {
    const path = { model_name: modelName, version };
    return this.send(
      'batchPredictWithModelVersion',
      (o) => gen.batchPredictWithModelVersion({ ...o, ...predictQuery(options), path, body }),
      options,
    );
  }

  /** A short-lived bearer token for this client's API key (`POST /auth/token`). */
  issueToken(body: Partial<IssueTokenData['body']> = {}, options?: RequestOptions): APIPromise<TokenResponse> {
    const full = { grant_type: 'client_credentials', ...body };
    return this.send('issueToken', (o) => gen.issueToken({ ...o, body: full }), options);
  }

  /** Rescan the model directory and serve the newest versions (`POST /admin/models/reload`). */
  reloadModels(options?: RequestOptions): APIPromise<ModelList> {
    return this.send('reloadModels', (o) => gen.reloadModels(o), options);
  }

  /** The service's health (`GET /health`); an unhealthy service (503) answers with its Health. */
  healthCheck(options?: RequestOptions): APIPromise<Health> {
    return this.send('healthCheck', (o) => gen.healthCheck(o), options, 503);
  }

  /** Prometheus metrics, as text (`GET /metrics`). */
  getMetrics(options?: RequestOptions): APIPromise<string> {
    return this.send('getMetrics', (o) => gen.getMetrics(o), options);
  }

  /** This API reference as one HTML page (`GET /docs`). */
  getDocs(options?: RequestOptions): APIPromise<string> {
    return this.send('getDocs', (o) => gen.getDocs(o), options);
  }

  /** Short name of `healthCheck`. */
  health(options?: RequestOptions): APIPromise<Health> {
    return this.healthCheck(options);
  }

  /** Short name of `listModels`. */
  models(options?: RequestOptions): APIPromise<ModelList> {
    return this.listModels(options);
  }

  /** Short name of `getModel`. */
  model(name: string, options?: RequestOptions): APIPromise<ModelMetadata> {
    return this.getModel(name, options);
  }

  private fetchFor(idempotent: boolean, options: RequestOptions, results: number[] = []): typeof fetch {
    const policy = { ...this.policy };
    if (options.maxRetries !== undefined) policy.maxRetries = options.maxRetries;
    const timeout = options.timeoutMs ?? this.options.timeoutMs ?? 30000;
    return retryingFetch(policy, timeout, idempotent, this.options.fetch, results);
  }

  private send<T>(op: OperationId, call: Call, options: RequestOptions = {}, alsoOk?: number): APIPromise<T> {
    const fetch = this.fetchFor(OPERATIONS[op].idempotent, options, alsoOk === undefined ? [] : [alsoOk]);
    const { headers, signal } = options;
    return apiPromise(
      call({ client: this.client, fetch, headers, signal }).then((outcome) => {
        const { response } = outcome;
        if (response === undefined) {
          throw outcome.error instanceof APIError
            ? outcome.error
            : new APIConnectionError(String(outcome.error), { cause: outcome.error });
        }
        if (response.ok) return { data: outcome.data as T, response };
        const body = outcome.error;
        if (response.status === alsoOk && typeof body === 'object' && body !== null && !('error' in body)) {
          return { data: body as T, response };
        }
        throw errorFor(response, body);
      }),
    );
  }
}
