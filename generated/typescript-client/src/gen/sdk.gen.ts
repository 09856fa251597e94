// generated from openapi/openapi.yaml by `make generate` — do not edit

import { client } from './client.gen.js';
import { type Client, type Options as Options2, type TDataShape, urlSearchParamsBodySerializer } from './client/index.js';
import type { BatchPredictData, BatchPredictErrors, BatchPredictResponses, BatchPredictWithModelData, BatchPredictWithModelErrors, BatchPredictWithModelResponses, BatchPredictWithModelVersionData, BatchPredictWithModelVersionErrors, BatchPredictWithModelVersionResponses, GetDocsData, GetDocsErrors, GetDocsResponses, GetMetricsData, GetMetricsErrors, GetMetricsResponses, GetModelContractData, GetModelContractErrors, GetModelContractResponses, GetModelData, GetModelErrors, GetModelResponses, GetModelVersionContractData, GetModelVersionContractErrors, GetModelVersionContractResponses, GetModelVersionData, GetModelVersionErrors, GetModelVersionResponses, GetUsageData, GetUsageErrors, GetUsageResponses, HealthCheckData, HealthCheckErrors, HealthCheckResponses, IssueTokenData, IssueTokenErrors, IssueTokenResponses, ListModelsData, ListModelsErrors, ListModelsResponses, ListUsageData, ListUsageErrors, ListUsageResponses, PredictData, PredictErrors, PredictResponses, PredictWithModelData, PredictWithModelErrors, PredictWithModelResponses, PredictWithModelVersionData, PredictWithModelVersionErrors, PredictWithModelVersionResponses, ReloadModelsData, ReloadModelsErrors, ReloadModelsResponses } from './types.gen.js';

export type Options<TData extends TDataShape = TDataShape, ThrowOnError extends boolean = boolean, TResponse = unknown> = Options2<TData, ThrowOnError, TResponse> & {
    /**
     * You can provide a client instance returned by `createClient()` instead of
     * individual options. This might be also useful if you want to implement a
     * custom client.
     */
    client?: Client;
    /**
     * You can pass arbitrary values through the `meta` object. This can be
     * used to access values that aren't defined as part of the SDK function.
     */
    meta?: Record<string, unknown>;
};

/**
 * Single prediction
 *
 * Make a single prediction with the default model. `features` must have exactly the
 * number of features the model expects (see `GET /models/{model_name}`); otherwise the
 * request is refused with 422. What `prediction` holds depends on the model's `task`
 * (see `GET /models/{model_name}`): the predicted class label (classifiers with numeric
 * labels), the class's index in `classes` plus its name in `label` (classifiers with
 * string labels), the predicted value (regressors), the cluster id (clusterers) or 1 /
 * -1 for an inlier / outlier (outlier detectors). `probability` is the probability of
 * the predicted class, or null when the model gives none (regressors, clusterers,
 * outlier detectors, classifiers without `predict_proba`). `?probabilities=true` adds
 * `probabilities`, one per class; `?scores=true` adds `score`.
 *
 */
export const predict = <ThrowOnError extends boolean = false>(options: Options<PredictData, ThrowOnError>) => (options.client ?? client).post<PredictResponses, PredictErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/predict',
    ...options,
    headers: {
        'Content-Type': 'application/json',
        ...options.headers
    }
});

/**
 * Batch predictions
 *
 * Make up to 100 predictions with the default model in one request. The rows are
 * scored together in one vectorised call; the response lists the predictions in request
 * order.
 *
 */
export const batchPredict = <ThrowOnError extends boolean = false>(options: Options<BatchPredictData, ThrowOnError>) => (options.client ?? client).post<BatchPredictResponses, BatchPredictErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/batch_predict',
    ...options,
    headers: {
        'Content-Type': 'application/json',
        ...options.headers
    }
});

/**
 * List models
 *
 * The models the service holds, each with the version it serves and the versions on disk.
 */
export const listModels = <ThrowOnError extends boolean = false>(options?: Options<ListModelsData, ThrowOnError>) => (options?.client ?? client).get<ListModelsResponses, ListModelsErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/models',
    ...options
});

/**
 * Model metadata
 *
 * Version, features, classes, description and held-out metrics of one model.
 */
export const getModel = <ThrowOnError extends boolean = false>(options: Options<GetModelData, ThrowOnError>) => (options.client ?? client).get<GetModelResponses, GetModelErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/models/{model_name}',
    ...options
});

/**
 * Single prediction with a named model
 *
 * Same as `POST /predict`, with the model named in the path.
 */
export const predictWithModel = <ThrowOnError extends boolean = false>(options: Options<PredictWithModelData, ThrowOnError>) => (options.client ?? client).post<PredictWithModelResponses, PredictWithModelErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/models/{model_name}/predict',
    ...options,
    headers: {
        'Content-Type': 'application/json',
        ...options.headers
    }
});

/**
 * Batch predictions with a named model
 *
 * Same as `POST /batch_predict`, with the model named in the path.
 */
export const batchPredictWithModel = <ThrowOnError extends boolean = false>(options: Options<BatchPredictWithModelData, ThrowOnError>) => (options.client ?? client).post<BatchPredictWithModelResponses, BatchPredictWithModelErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/models/{model_name}/batch_predict',
    ...options,
    headers: {
        'Content-Type': 'application/json',
        ...options.headers
    }
});

/**
 * The model's own OpenAPI document
 *
 * This model's own contract: the model operations of this API (metadata, predict,
 * batch predict) with `features` specialised to the model's inputs (names, types,
 * categories, which may be null) and `label` to its classes, derived from the serving
 * version's signature when it loads. Generate a typed client from it
 * (`specserve models sdk NAME`).
 *
 */
export const getModelContract = <ThrowOnError extends boolean = false>(options: Options<GetModelContractData, ThrowOnError>) => (options.client ?? client).get<GetModelContractResponses, GetModelContractErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/models/{model_name}/openapi.json',
    ...options
});

/**
 * Metadata of one model version
 *
 * Like `GET /models/{model_name}`, for any version on disk (see `versions` in
 * `GET /models`), whether or not it is the one the unversioned routes serve.
 *
 */
export const getModelVersion = <ThrowOnError extends boolean = false>(options: Options<GetModelVersionData, ThrowOnError>) => (options.client ?? client).get<GetModelVersionResponses, GetModelVersionErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/models/{model_name}/versions/{version}',
    ...options
});

/**
 * One model version's own OpenAPI document
 *
 * Like `GET /models/{model_name}/openapi.json`, for one version (its own routes).
 *
 */
export const getModelVersionContract = <ThrowOnError extends boolean = false>(options: Options<GetModelVersionContractData, ThrowOnError>) => (options.client ?? client).get<GetModelVersionContractResponses, GetModelVersionContractErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/models/{model_name}/versions/{version}/openapi.json',
    ...options
});

/**
 * Single prediction with one model version
 *
 * Same as `POST /predict`, with the model and its version named in the path.
 */
export const predictWithModelVersion = <ThrowOnError extends boolean = false>(options: Options<PredictWithModelVersionData, ThrowOnError>) => (options.client ?? client).post<PredictWithModelVersionResponses, PredictWithModelVersionErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/models/{model_name}/versions/{version}/predict',
    ...options,
    headers: {
        'Content-Type': 'application/json',
        ...options.headers
    }
});

/**
 * Batch predictions with one model version
 *
 * Same as `POST /batch_predict`, with the model and its version named in the path.
 */
export const batchPredictWithModelVersion = <ThrowOnError extends boolean = false>(options: Options<BatchPredictWithModelVersionData, ThrowOnError>) => (options.client ?? client).post<BatchPredictWithModelVersionResponses, BatchPredictWithModelVersionErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/models/{model_name}/versions/{version}/batch_predict',
    ...options,
    headers: {
        'Content-Type': 'application/json',
        ...options.headers
    }
});

/**
 * Issue an access token
 *
 * OAuth2 client-credentials grant (RFC 6749 section 4.4). Authenticate with your API key,
 * either as HTTP Basic (`key id` as the user name, the whole key as the password) or in
 * `X-API-Key`, and get a short-lived JWT for `Authorization: Bearer`. Ask for a subset of
 * the key's scopes with `scope`; by default the token carries all of them. Tokens stop
 * working as soon as their key is revoked. Needs `SPECSERVE_JWT_SECRET` (or
 * `SPECSERVE_JWT_SECRET_FILE`); without it the service issues no tokens (503).
 * Tokens are limited per key (`SPECSERVE_TOKEN_RATE_LIMIT`); other form parameters are
 * ignored (RFC 6749 section 3.2).
 *
 */
export const issueToken = <ThrowOnError extends boolean = false>(options: Options<IssueTokenData, ThrowOnError>) => (options.client ?? client).post<IssueTokenResponses, IssueTokenErrors, ThrowOnError>({
    ...urlSearchParamsBodySerializer,
    security: [{ scheme: 'basic', type: 'http' }, { name: 'X-API-Key', type: 'apiKey' }],
    url: '/auth/token',
    ...options,
    headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...options.headers
    }
});

/**
 * Reload models
 *
 * Rescan the model directory and serve the newest version of every model, without
 * downtime: every worker loads the new artifacts in the background and swaps them in
 * atomically, so each response comes wholly from the old or wholly from the new version.
 * Needs the `admin` scope. Answers once this worker has swapped.
 *
 */
export const reloadModels = <ThrowOnError extends boolean = false>(options?: Options<ReloadModelsData, ThrowOnError>) => (options?.client ?? client).post<ReloadModelsResponses, ReloadModelsErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/admin/models/reload',
    ...options
});

/**
 * Your usage and quota
 *
 * The calling key's (or token subject's) own usage, per UTC day and model, from `from`
 * to `to` (both included; by default the first day of the current UTC month to today;
 * a longer span than 400 days is answered for its last 400, as the answer's `from`
 * says, and one ending before it starts is empty), with its totals, and its quota with what remains. Any valid key or
 * token may read its own usage, whatever its scopes; no one else's. `requests` and
 * `units` are counted in the same step that charges the rate limit (a batch costs one
 * unit per row, an invalid body the rows it could have held, a `/v2` infer its
 * `shape[0]`); `ok`, `client_error` and `server_error` once the answer is sent, off
 * the request path (within about a second). Reading usage is rate-limited like any
 * operation but never counted against the quota: it works past it, when it is needed.
 *
 */
export const getUsage = <ThrowOnError extends boolean = false>(options?: Options<GetUsageData, ThrowOnError>) => (options?.client ?? client).get<GetUsageResponses, GetUsageErrors, ThrowOnError>({
    security: [{ name: 'X-API-Key', type: 'apiKey' }, { scheme: 'bearer', type: 'http' }],
    url: '/usage',
    ...options
});

/**
 * Usage of every key
 *
 * Usage per identity (`key:<key id>` or `sub:<token subject>`), UTC day and model, from
 * `from` to `to` (as `GET /usage`), for every identity or one key (`key_id`). Needs the
 * `admin` scope. At most `limit` rows, oldest day first; `truncated` says whether more
 * matched (narrow the days or name a key).
 *
 */
export const listUsage = <ThrowOnError extends boolean = false>(options?: Options<ListUsageData, ThrowOnError>) => (options?.client ?? client).get<ListUsageResponses, ListUsageErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/admin/usage',
    ...options
});

/**
 * Health check
 *
 * Service health; credentials optional. `healthy`: every model serves. `degraded`:
 * the default model serves but something else is wrong (another model failed to
 * load). `unhealthy` (status 503): the default model cannot serve. Without
 * credentials (or with ones lacking `metrics:read`) the checks are one status per
 * kind (`models`, `threads`, `key_store`, `rate_limiter`; `prediction_log` when the
 * prediction log is on, `warn` while its sink fails or records were dropped in the
 * last minute), with no detail; a caller with `metrics:read` gets one check per model
 * and the detail of each. A version that
 * failed to load is named there with a short class of the reason only (e.g.
 * `version 2 failed to load (version mismatch)`), never a path or an exception; the
 * full reason is `error` in `GET /models/{model_name}` (`models:read`).
 *
 */
export const healthCheck = <ThrowOnError extends boolean = false>(options?: Options<HealthCheckData, ThrowOnError>) => (options?.client ?? client).get<HealthCheckResponses, HealthCheckErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/health',
    ...options
});

/**
 * Prometheus metrics
 *
 * Metrics in the Prometheus text exposition format (version 0.0.4), aggregated over
 * every worker process: requests by route and status, latency by route, predictions and
 * rows by model and version, model load failures.
 *
 */
export const getMetrics = <ThrowOnError extends boolean = false>(options?: Options<GetMetricsData, ThrowOnError>) => (options?.client ?? client).get<GetMetricsResponses, GetMetricsErrors, ThrowOnError>({
    security: [
        { name: 'X-API-Key', type: 'apiKey' },
        { scheme: 'bearer', type: 'http' },
        { scheme: 'bearer', type: 'http' }
    ],
    url: '/metrics',
    ...options
});

/**
 * API reference
 *
 * This API reference as one self-contained HTML page (no external requests), without
 * authentication. Interactive Swagger UI: `/ui/`; the contract itself: `/openapi.json`.
 *
 */
export const getDocs = <ThrowOnError extends boolean = false>(options?: Options<GetDocsData, ThrowOnError>) => (options?.client ?? client).get<GetDocsResponses, GetDocsErrors, ThrowOnError>({ url: '/docs', ...options });
