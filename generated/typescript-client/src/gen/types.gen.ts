// generated from openapi/openapi.yaml by `make generate` — do not edit

export type ClientOptions = {
    baseUrl: 'http://127.0.0.1:8000/v1' | (string & {});
};

/**
 * Parameters the grant does not use are ignored (RFC 6749 section 3.2).
 */
export type TokenRequest = {
    /**
     * Must be `client_credentials`.
     */
    grant_type: string;
    /**
     * Space-separated scopes, a subset of the key's; default all of them.
     */
    scope?: string;
    [key: string]: unknown;
};

export type TokenResponse = {
    /**
     * A JWT, sent as `Authorization: Bearer <token>`.
     */
    access_token: string;
    token_type: 'Bearer' | (string & {});
    /**
     * Lifetime in seconds.
     */
    expires_in: number;
    /**
     * The scopes granted, space-separated.
     */
    scope: string;
};

/**
 * One row of features to score.
 */
export type PredictionRequest = {
    /**
     * The row to score, in either form: a list of finite numbers in the model's input
     * order (`[52000, 9000, 41]`), or an object keyed by input name
     * (`{"income": 52000, "city": "lyon", "age": null}`), which a model with string
     * inputs requires. `GET /models/{model_name}` lists a model's `inputs` (names,
     * types, categories, which may be null) and their JSON Schema (`input_schema`).
     *
     */
    features: PositionalFeatures | NamedFeatures;
    metadata?: PredictionMetadata;
};

/**
 * Input features for prediction, finite numbers, in the model's feature order.
 */
export type PositionalFeatures = Array<number>;

/**
 * One value per input name. `null`, or leaving out an input the model marks
 * `nullable`, is a missing value. Names the model does not take, a wrong type, a
 * category outside the model's set or a value outside its range are refused with 422
 * naming the input (`$.features.city`).
 *
 */
export type NamedFeatures = {
    [key: string]: FeatureValue;
};

/**
 * A number, a string (at most 10,000 characters), a boolean, or null (missing).
 */
export type FeatureValue = number | null | string | null | boolean | null;

/**
 * Optional client metadata; `request_id` is echoed in the response.
 */
export type PredictionMetadata = {
    /**
     * The client's id for this prediction; echoed as `request_id`.
     */
    request_id?: string;
    /**
     * When the client made the request.
     */
    timestamp?: string;
} | null;

export type PredictionResponse = {
    /**
     * Classifiers with numeric labels: the predicted label. Classifiers with string
     * labels: the predicted class's index in the model's `classes` (its name is in
     * `label`). Regressors: the predicted value. Clusterers: the cluster id, an
     * integer. Outlier detectors: 1 (inlier) or -1 (outlier), the model's own `predict`.
     *
     */
    prediction: number;
    /**
     * Probability of the predicted class; null when the model gives none (regressors,
     * clusterers, outlier detectors, classifiers without `predict_proba`: a decision
     * score is never a probability).
     *
     */
    probability: number | null;
    /**
     * Only for classifiers with string labels, the predicted class's name.
     */
    label?: string;
    /**
     * Only with `?probabilities=true`: the probability of each class, in `classes`
     * order; null when the model gives none.
     *
     */
    probabilities?: Array<number> | null;
    /**
     * Only with `?scores=true`: an outlier detector's `decision_function` for this row
     * (negative for outliers); null for other models.
     *
     */
    score?: number | null;
    /**
     * Version of the model used.
     */
    model_version: string;
    /**
     * `metadata.request_id` if given, else the request's `X-Request-ID`.
     */
    request_id: string;
    /**
     * Time spent scoring, in milliseconds.
     */
    processing_time_ms: number;
};

export type BatchPredictionRequest = {
    requests: Array<PredictionRequest>;
};

export type BatchPredictionResponse = {
    predictions: Array<PredictionResponse>;
    /**
     * Time spent scoring the whole batch, in milliseconds.
     */
    total_processing_time_ms: number;
};

export type ModelSummary = {
    name: string;
    /**
     * The version the unversioned routes serve (the pinned one, else the newest).
     */
    version: string;
    /**
     * Every version found on disk, oldest first.
     */
    versions: Array<string>;
    status: ModelStatus;
    /**
     * Whether `/predict` and `/batch_predict` use this model.
     */
    default: boolean;
};

/**
 * `ready`: the model serves; `failed`: its artifact could not be loaded.
 */
export type ModelStatus = 'ready' | 'failed' | (string & {});

export type ModelList = {
    /**
     * The model behind `/predict` and `/batch_predict`; null for a credential limited to
     * other models (it learns nothing about models beyond its list).
     *
     */
    default_model: string | null;
    models: Array<ModelSummary>;
};

export type ModelMetadata = {
    name: string;
    version: string;
    status: ModelStatus;
    description: string;
    /**
     * What made the artifact: `scikit-learn`, or `onnx` for an ONNX artifact from any
     * exporter (XGBoost, LightGBM, a hand-built graph).
     *
     */
    framework: string;
    feature_names: Array<string>;
    n_features: number;
    /**
     * What the model does, read from the estimator (scikit-learn's own tags) or the ONNX
     * graph: `classification`, `regression`, `clustering` (`prediction` is the cluster
     * id) or `outlier_detection` (`prediction` is 1 or -1, `?scores=true` adds `score`).
     *
     */
    task: 'classification' | 'regression' | 'clustering' | 'outlier_detection' | (string & {});
    /**
     * The classes, in the order of `probabilities` (empty for regressors).
     */
    classes: Array<ClassLabel>;
    /**
     * Held-out evaluation metrics recorded at training time.
     */
    metrics: {
        [key: string]: number;
    };
    /**
     * What scores this version: ONNX Runtime (a `model.onnx` that passed the parity
     * gate, or an ONNX artifact) or scikit-learn.
     *
     */
    runtime: 'onnx' | 'sklearn' | (string & {});
    parity: Parity;
    /**
     * The version pinned with `specserve models pin`, or null (the newest serves).
     */
    pinned: string | null;
    /**
     * The model's signature: each input it takes, in order (the order of the positional
     * form), with its type, whether it may be null, its categories and bounds.
     *
     */
    inputs?: Array<ModelInput>;
    /**
     * The JSON Schema of this model's named `features` object (what
     * `GET /models/{model_name}/openapi.json` publishes as the request).
     *
     */
    input_schema?: {
        [key: string]: unknown;
    };
    /**
     * Only when a version failed to load: why, in full (this version's reason when
     * `status` is `failed`; when an older version serves because a newer one failed, the
     * newer one's; when a version's converted graph does not load on this machine, why
     * scikit-learn serves it instead). `/health` shows only a short class of it (`artifact unreadable`,
     * `artifact refused`, `version mismatch`, `conversion refused`, `graph refused`,
     * `model refused`, `metadata invalid`).
     *
     */
    error?: string;
    rollout?: ModelRollout;
};

/**
 * Only on the unversioned `GET /models/{model_name}`: the model's shadow and canary
 * versions as every worker reads them from the model store (`specserve models shadow`,
 * `specserve models canary`), within `SPECSERVE_MODEL_POLL_SECONDS` of a change.
 *
 */
export type ModelRollout = {
    shadow: ShadowVersion;
    canary: CanarySplit;
    /**
     * Why a `shadow` or `canary` file is ignored (not JSON, an unknown version, the
     * serving version itself) or its version not used (it failed to load).
     *
     */
    problems: Array<string>;
};

/**
 * A version that also scores a sampled share of the unversioned routes' requests, after
 * the serving version has answered; clients only ever see the serving version's answer.
 *
 */
export type ShadowVersion = {
    version: string;
    /**
     * The share of requests it scores too.
     */
    sample: number;
    agreement: ShadowAgreement;
} | null;

/**
 * How the shadow version's answers compare with those the clients got. With
 * `SPECSERVE_REDIS_URL` set, added up over every worker of every instance for the shadow
 * as set (setting it again counts afresh; `scope: service`): each worker writes its
 * counts there once a second, so they lag by up to a second (the worker answering
 * includes all of its own), and a worker that crashes loses at most its last second of
 * them. Without Redis, or while it does not answer, over the workers of this instance
 * since each started, for every setting of that version: the counts of the
 * `specserve_shadow_*` metrics (`scope: instance`). A classifier's (clusterer's,
 * outlier detector's) row agrees when the labels are equal; a regressor's when
 * |answered - shadow| is at most 1e-6, the default `--tolerance` of `specserve
 * predictions replay`.
 *
 */
export type ShadowAgreement = {
    /**
     * Rows the shadow scored.
     */
    scored: number;
    /**
     * Rows where its prediction (a classifier's label) equals the answered one (a
     * regressor's: within 1e-6).
     *
     */
    agreed: number;
    disagreed: number;
    /**
     * Shadow calls that failed or timed out (never seen by the client).
     */
    errors: number;
    /**
     * Requests not shadowed because a worker had too many shadow calls running.
     */
    skipped: number;
    /**
     * agreed / scored (null before any row is scored).
     */
    agreement_rate: number | null;
    /**
     * Regressors only (null otherwise): |answered - shadow| per row as a cumulative
     * histogram, each bucket counting the rows with a difference of at most `le`
     * (`le` null: every row).
     *
     */
    abs_diff: Array<{
        le: number | null;
        count: number;
    }> | null;
    /**
     * `service`: every instance's counts for the shadow as set (Redis); `instance`:
     * this instance's workers since they started (no Redis, or Redis not answering).
     *
     */
    scope: 'service' | 'instance' | (string & {});
};

/**
 * A version that serves `weight` % of the callers of the unversioned routes, the same
 * callers while the split stands (chosen by API key id or token subject; a request
 * without either is served by the serving version). `model_version` in each answer
 * says which version answered.
 *
 */
export type CanarySplit = {
    version: string;
    weight: number;
} | null;

/**
 * An OpenAPI 3.0 document (`openapi`, `info`, `paths`, `components`).
 */
export type OpenApiDocument = {
    openapi: string;
    info: {
        [key: string]: unknown;
    };
    paths: {
        [key: string]: unknown;
    };
    [key: string]: unknown;
};

export type ModelInput = {
    name: string;
    type: 'number' | 'integer' | 'boolean' | 'string' | (string & {});
    /**
     * Whether null (a missing value) is accepted.
     */
    nullable: boolean;
    /**
     * The values the model knows. Enforced (`unknown_category`) unless `open` is true
     * (the model accepts others too).
     *
     */
    categories?: Array<number | string | boolean>;
    /**
     * Whether values outside `categories` are accepted.
     */
    open?: boolean;
    minimum?: number;
    maximum?: number;
    max_length?: number;
    description?: string;
};

/**
 * A class as the model names it.
 */
export type ClassLabel = number | string;

/**
 * The parity gate of the ONNX conversion (`specserve models add`): on probe rows
 * spanning the training range and beyond, labels identical to scikit-learn's `predict`;
 * probabilities within 1e-4; regression values within `1e-5 × |value| + atol`, where
 * `atol` is 1e-5 of the spread (largest minus smallest) of the model's own predictions
 * on the probe rows (at least 1e-8), so float32 rounding of values near zero is judged
 * against the size of the model's answers; `specserve models add --value-tolerance X`
 * sets `atol` instead. A conversion that fails, does not load in ONNX Runtime or fails
 * the gate leaves the version on scikit-learn, the reason in `reason`. Null when the
 * version was never converted (clusterers and outlier detectors are not).
 *
 */
export type Parity = {
    passed: boolean;
    probe_rows: number;
    label_mismatches: number;
    /**
     * Largest absolute difference of a probability (or value) from scikit-learn's.
     */
    max_abs_diff: number | null;
    /**
     * The conversion that passed: `float32`, `double`, or `float64-scaler` (preprocessing
     * kept in float64) for a model of numbers; `columns` (one graph input per named
     * input), `text-unicode` or `text` for a model with string inputs.
     *
     */
    strategy: string | null;
    /**
     * Why no conversion passed (the model then serves with scikit-learn).
     */
    reason: string | null;
    /**
     * Converter and runtime versions, e.g. `skl2onnx 1.20.0, onnxruntime 1.31.1`.
     */
    converter: string;
} | null;

export type HealthCheckResult = {
    status: 'pass' | 'warn' | 'fail' | (string & {});
    /**
     * Only for callers with `metrics:read`.
     */
    detail?: string;
};

export type Health = {
    status: 'healthy' | 'degraded' | 'unhealthy' | (string & {});
    uptime_seconds: number;
    /**
     * Whether the default model is loaded.
     */
    model_loaded: boolean;
    /**
     * Version of the default model, null when it is not loaded.
     */
    model_version: string | null;
    /**
     * One entry per check (`model:<name>`, `threads`, ...).
     */
    checks: {
        [key: string]: HealthCheckResult;
    };
};

/**
 * What was charged and how it ended. `requests`: requests admitted; `units`: what they
 * cost (rows); `ok`, `client_error`, `server_error`: their answers by class (2xx-3xx,
 * 4xx, 5xx).
 *
 */
export type UsageCounts = {
    requests: number;
    units: number;
    ok: number;
    client_error: number;
    server_error: number;
};

/**
 * One model's usage on one UTC day (`model` is `-` for operations that use none).
 */
export type UsageDay = {
    day: string;
    model: string;
    /**
     * Requests admitted (charged).
     */
    requests: number;
    /**
     * What they cost, in units (rows).
     */
    units: number;
    /**
     * Answers 2xx or 3xx.
     */
    ok: number;
    /**
     * Answers 4xx.
     */
    client_error: number;
    /**
     * Answers 5xx.
     */
    server_error: number;
};

/**
 * One identity's usage of one model on one UTC day.
 */
export type UsageRow = {
    /**
     * `key:<key id>` or `sub:<token subject>`.
     */
    identity: string;
    day: string;
    model: string;
    /**
     * Requests admitted (charged).
     */
    requests: number;
    /**
     * What they cost, in units (rows).
     */
    units: number;
    /**
     * Answers 2xx or 3xx.
     */
    ok: number;
    /**
     * Answers 4xx.
     */
    client_error: number;
    /**
     * Answers 5xx.
     */
    server_error: number;
};

/**
 * The caller's quota in the current period, in units (rows); null when it has none.
 */
export type UsageQuota = {
    limit: number;
    period: 'day' | 'month' | (string & {});
    used: number;
    remaining: number;
    /**
     * When the period ends (midnight UTC).
     */
    resets_at: string;
} | null;

/**
 * The caller's usage and quota.
 */
export type Usage = {
    /**
     * `key:<key id>` or `sub:<token subject>`: whose usage this is.
     */
    identity: string;
    from: string;
    to: string;
    quota: UsageQuota;
    totals: UsageCounts;
    /**
     * One entry per UTC day and model used, oldest first.
     */
    days: Array<UsageDay>;
};

/**
 * Usage rows of every identity (or one key).
 */
export type UsageList = {
    from: string;
    to: string;
    /**
     * More rows matched than `limit`.
     */
    truncated: boolean;
    rows: Array<UsageRow>;
};

export type FieldError = {
    /**
     * JSON path of the offending field, e.g. `$.requests[3].features[0]`.
     */
    path: string;
    message: string;
};

/**
 * The one error shape (RFC 9457 problem details plus stable fields).
 */
export type Error = {
    /**
     * A URI reference identifying the problem type.
     */
    type: string;
    /**
     * Short summary of the status.
     */
    title: string;
    status: number;
    /**
     * Explanation specific to this occurrence.
     */
    detail: string;
    /**
     * Stable machine-readable error code.
     */
    error: string;
    /**
     * Human-readable message (same as `detail`).
     */
    message: string;
    request_id: string;
    timestamp: string;
    /**
     * For OAuth2 token errors (RFC 6749 section 5.2), same as `detail`.
     */
    error_description?: string;
    /**
     * For 429, seconds to wait before retrying (as `Retry-After`).
     */
    retry_after?: number;
    /**
     * For validation failures, one entry per offending field.
     */
    errors?: Array<FieldError>;
};

/**
 * Name of a model the service holds (see `GET /models`).
 */
export type ModelName = string;

/**
 * A version of the model on disk (see `versions` in `GET /models`).
 */
export type ModelVersion = string;

/**
 * Add `probabilities` to each prediction: the probability of every class, in the
 * order of the model's `classes` (null when the model gives none).
 *
 */
export type Probabilities = boolean;

/**
 * Add `score` to each prediction: an outlier detector's anomaly score (its
 * `decision_function`: negative for outliers, larger is more normal); null for other
 * models.
 *
 */
export type Scores = boolean;

/**
 * First UTC day, included (default the first day of the current UTC month).
 */
export type UsageFrom = string;

/**
 * Last UTC day, included (default today, UTC). At most 400 days are answered.
 */
export type UsageTo = string;

export type PredictionRequest2 = PredictionRequest;

export type BatchPredictionRequest2 = BatchPredictionRequest;

export type PredictData = {
    body: PredictionRequest2;
    path?: never;
    query?: {
        /**
         * Add `probabilities` to each prediction: the probability of every class, in the
         * order of the model's `classes` (null when the model gives none).
         *
         */
        probabilities?: boolean;
        /**
         * Add `score` to each prediction: an outlier detector's anomaly score (its
         * `decision_function`: negative for outliers, larger is more normal); null for other
         * models.
         *
         */
        scores?: boolean;
    };
    url: '/predict';
};

export type PredictErrors = {
    /**
     * The request is malformed (not JSON, not valid against the schema, bad parameter).
     */
    400: Error;
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`, by default
     * 4194304 bytes, 4 MiB). The default admits the largest valid request: 100 rows of
     * 1,000 features written as full-precision float64 JSON is about 2.6 MB (2,622,514
     * bytes at 24 characters a number, with full `metadata`).
     *
     */
    413: Error;
    /**
     * The body is not `application/json`, or has a content encoding.
     */
    415: Error;
    /**
     * The request is valid JSON but does not fit the model: `feature_count_mismatch` (not
     * the model's number of features), `feature_out_of_range` (a value beyond ±3.4e38, which
     * a float32 model cannot hold), `features_refused` (the model refused the values), or,
     * naming the input in `errors[].path` (`$.features.city`, `$.requests[3].features.city`):
     * `unknown_input` (a name the model does not take), `missing_input` (a required input
     * left out), `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
     * (null for an input that cannot be missing), `unknown_category` (a value outside the
     * model's categories), `input_out_of_range` (outside the input's bounds or length), or
     * `named_features_required` (a positional list for a model with string inputs).
     *
     */
    422: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
    /**
     * The service cannot serve this right now: the model failed to load, the rate limiter's
     * store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`, (for `/auth/token`) token
     * issuance is not configured, or (for the usage operations) usage cannot be read
     * (`usage_unavailable`, with `Retry-After`).
     *
     */
    503: Error;
    /**
     * The model did not answer within the service's timeout (`SPECSERVE_PREDICT_TIMEOUT`).
     */
    504: Error;
};

export type PredictError = PredictErrors[keyof PredictErrors];

export type PredictResponses = {
    /**
     * Successful prediction.
     */
    200: PredictionResponse;
};

export type PredictResponse = PredictResponses[keyof PredictResponses];

export type BatchPredictData = {
    body: BatchPredictionRequest2;
    path?: never;
    query?: {
        /**
         * Add `probabilities` to each prediction: the probability of every class, in the
         * order of the model's `classes` (null when the model gives none).
         *
         */
        probabilities?: boolean;
        /**
         * Add `score` to each prediction: an outlier detector's anomaly score (its
         * `decision_function`: negative for outliers, larger is more normal); null for other
         * models.
         *
         */
        scores?: boolean;
    };
    url: '/batch_predict';
};

export type BatchPredictErrors = {
    /**
     * The request is malformed (not JSON, not valid against the schema, bad parameter).
     */
    400: Error;
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`, by default
     * 4194304 bytes, 4 MiB). The default admits the largest valid request: 100 rows of
     * 1,000 features written as full-precision float64 JSON is about 2.6 MB (2,622,514
     * bytes at 24 characters a number, with full `metadata`).
     *
     */
    413: Error;
    /**
     * The body is not `application/json`, or has a content encoding.
     */
    415: Error;
    /**
     * The request is valid JSON but does not fit the model: `feature_count_mismatch` (not
     * the model's number of features), `feature_out_of_range` (a value beyond ±3.4e38, which
     * a float32 model cannot hold), `features_refused` (the model refused the values), or,
     * naming the input in `errors[].path` (`$.features.city`, `$.requests[3].features.city`):
     * `unknown_input` (a name the model does not take), `missing_input` (a required input
     * left out), `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
     * (null for an input that cannot be missing), `unknown_category` (a value outside the
     * model's categories), `input_out_of_range` (outside the input's bounds or length), or
     * `named_features_required` (a positional list for a model with string inputs).
     *
     */
    422: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
    /**
     * The service cannot serve this right now: the model failed to load, the rate limiter's
     * store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`, (for `/auth/token`) token
     * issuance is not configured, or (for the usage operations) usage cannot be read
     * (`usage_unavailable`, with `Retry-After`).
     *
     */
    503: Error;
    /**
     * The model did not answer within the service's timeout (`SPECSERVE_PREDICT_TIMEOUT`).
     */
    504: Error;
};

export type BatchPredictError = BatchPredictErrors[keyof BatchPredictErrors];

export type BatchPredictResponses = {
    /**
     * Successful batch prediction.
     */
    200: BatchPredictionResponse;
};

export type BatchPredictResponse = BatchPredictResponses[keyof BatchPredictResponses];

export type ListModelsData = {
    body?: never;
    path?: never;
    query?: never;
    url: '/models';
};

export type ListModelsErrors = {
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
};

export type ListModelsError = ListModelsErrors[keyof ListModelsErrors];

export type ListModelsResponses = {
    /**
     * The models.
     */
    200: ModelList;
};

export type ListModelsResponse = ListModelsResponses[keyof ListModelsResponses];

export type GetModelData = {
    body?: never;
    path: {
        /**
         * Name of a model the service holds (see `GET /models`).
         */
        model_name: string;
    };
    query?: never;
    url: '/models/{model_name}';
};

export type GetModelErrors = {
    /**
     * The request is malformed (not JSON, not valid against the schema, bad parameter).
     */
    400: Error;
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The model does not exist.
     */
    404: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
};

export type GetModelError = GetModelErrors[keyof GetModelErrors];

export type GetModelResponses = {
    /**
     * The model's metadata.
     */
    200: ModelMetadata;
};

export type GetModelResponse = GetModelResponses[keyof GetModelResponses];

export type PredictWithModelData = {
    body: PredictionRequest2;
    path: {
        /**
         * Name of a model the service holds (see `GET /models`).
         */
        model_name: string;
    };
    query?: {
        /**
         * Add `probabilities` to each prediction: the probability of every class, in the
         * order of the model's `classes` (null when the model gives none).
         *
         */
        probabilities?: boolean;
        /**
         * Add `score` to each prediction: an outlier detector's anomaly score (its
         * `decision_function`: negative for outliers, larger is more normal); null for other
         * models.
         *
         */
        scores?: boolean;
    };
    url: '/models/{model_name}/predict';
};

export type PredictWithModelErrors = {
    /**
     * The request is malformed (not JSON, not valid against the schema, bad parameter).
     */
    400: Error;
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The model does not exist.
     */
    404: Error;
    /**
     * The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`, by default
     * 4194304 bytes, 4 MiB). The default admits the largest valid request: 100 rows of
     * 1,000 features written as full-precision float64 JSON is about 2.6 MB (2,622,514
     * bytes at 24 characters a number, with full `metadata`).
     *
     */
    413: Error;
    /**
     * The body is not `application/json`, or has a content encoding.
     */
    415: Error;
    /**
     * The request is valid JSON but does not fit the model: `feature_count_mismatch` (not
     * the model's number of features), `feature_out_of_range` (a value beyond ±3.4e38, which
     * a float32 model cannot hold), `features_refused` (the model refused the values), or,
     * naming the input in `errors[].path` (`$.features.city`, `$.requests[3].features.city`):
     * `unknown_input` (a name the model does not take), `missing_input` (a required input
     * left out), `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
     * (null for an input that cannot be missing), `unknown_category` (a value outside the
     * model's categories), `input_out_of_range` (outside the input's bounds or length), or
     * `named_features_required` (a positional list for a model with string inputs).
     *
     */
    422: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
    /**
     * The service cannot serve this right now: the model failed to load, the rate limiter's
     * store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`, (for `/auth/token`) token
     * issuance is not configured, or (for the usage operations) usage cannot be read
     * (`usage_unavailable`, with `Retry-After`).
     *
     */
    503: Error;
    /**
     * The model did not answer within the service's timeout (`SPECSERVE_PREDICT_TIMEOUT`).
     */
    504: Error;
};

export type PredictWithModelError = PredictWithModelErrors[keyof PredictWithModelErrors];

export type PredictWithModelResponses = {
    /**
     * Successful prediction.
     */
    200: PredictionResponse;
};

export type PredictWithModelResponse = PredictWithModelResponses[keyof PredictWithModelResponses];

export type BatchPredictWithModelData = {
    body: BatchPredictionRequest2;
    path: {
        /**
         * Name of a model the service holds (see `GET /models`).
         */
        model_name: string;
    };
    query?: {
        /**
         * Add `probabilities` to each prediction: the probability of every class, in the
         * order of the model's `classes` (null when the model gives none).
         *
         */
        probabilities?: boolean;
        /**
         * Add `score` to each prediction: an outlier detector's anomaly score (its
         * `decision_function`: negative for outliers, larger is more normal); null for other
         * models.
         *
         */
        scores?: boolean;
    };
    url: '/models/{model_name}/batch_predict';
};

export type BatchPredictWithModelErrors = {
    /**
     * The request is malformed (not JSON, not valid against the schema, bad parameter).
     */
    400: Error;
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The model does not exist.
     */
    404: Error;
    /**
     * The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`, by default
     * 4194304 bytes, 4 MiB). The default admits the largest valid request: 100 rows of
     * 1,000 features written as full-precision float64 JSON is about 2.6 MB (2,622,514
     * bytes at 24 characters a number, with full `metadata`).
     *
     */
    413: Error;
    /**
     * The body is not `application/json`, or has a content encoding.
     */
    415: Error;
    /**
     * The request is valid JSON but does not fit the model: `feature_count_mismatch` (not
     * the model's number of features), `feature_out_of_range` (a value beyond ±3.4e38, which
     * a float32 model cannot hold), `features_refused` (the model refused the values), or,
     * naming the input in `errors[].path` (`$.features.city`, `$.requests[3].features.city`):
     * `unknown_input` (a name the model does not take), `missing_input` (a required input
     * left out), `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
     * (null for an input that cannot be missing), `unknown_category` (a value outside the
     * model's categories), `input_out_of_range` (outside the input's bounds or length), or
     * `named_features_required` (a positional list for a model with string inputs).
     *
     */
    422: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
    /**
     * The service cannot serve this right now: the model failed to load, the rate limiter's
     * store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`, (for `/auth/token`) token
     * issuance is not configured, or (for the usage operations) usage cannot be read
     * (`usage_unavailable`, with `Retry-After`).
     *
     */
    503: Error;
    /**
     * The model did not answer within the service's timeout (`SPECSERVE_PREDICT_TIMEOUT`).
     */
    504: Error;
};

export type BatchPredictWithModelError = BatchPredictWithModelErrors[keyof BatchPredictWithModelErrors];

export type BatchPredictWithModelResponses = {
    /**
     * Successful batch prediction.
     */
    200: BatchPredictionResponse;
};

export type BatchPredictWithModelResponse = BatchPredictWithModelResponses[keyof BatchPredictWithModelResponses];

export type GetModelContractData = {
    body?: never;
    path: {
        /**
         * Name of a model the service holds (see `GET /models`).
         */
        model_name: string;
    };
    query?: never;
    url: '/models/{model_name}/openapi.json';
};

export type GetModelContractErrors = {
    /**
     * The request is malformed (not JSON, not valid against the schema, bad parameter).
     */
    400: Error;
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The model does not exist.
     */
    404: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
    /**
     * The service cannot serve this right now: the model failed to load, the rate limiter's
     * store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`, (for `/auth/token`) token
     * issuance is not configured, or (for the usage operations) usage cannot be read
     * (`usage_unavailable`, with `Retry-After`).
     *
     */
    503: Error;
};

export type GetModelContractError = GetModelContractErrors[keyof GetModelContractErrors];

export type GetModelContractResponses = {
    /**
     * An OpenAPI 3.0 document.
     */
    200: OpenApiDocument;
};

export type GetModelContractResponse = GetModelContractResponses[keyof GetModelContractResponses];

export type GetModelVersionData = {
    body?: never;
    path: {
        /**
         * Name of a model the service holds (see `GET /models`).
         */
        model_name: string;
        /**
         * A version of the model on disk (see `versions` in `GET /models`).
         */
        version: string;
    };
    query?: never;
    url: '/models/{model_name}/versions/{version}';
};

export type GetModelVersionErrors = {
    /**
     * The request is malformed (not JSON, not valid against the schema, bad parameter).
     */
    400: Error;
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The model does not exist.
     */
    404: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
};

export type GetModelVersionError = GetModelVersionErrors[keyof GetModelVersionErrors];

export type GetModelVersionResponses = {
    /**
     * The version's metadata.
     */
    200: ModelMetadata;
};

export type GetModelVersionResponse = GetModelVersionResponses[keyof GetModelVersionResponses];

export type GetModelVersionContractData = {
    body?: never;
    path: {
        /**
         * Name of a model the service holds (see `GET /models`).
         */
        model_name: string;
        /**
         * A version of the model on disk (see `versions` in `GET /models`).
         */
        version: string;
    };
    query?: never;
    url: '/models/{model_name}/versions/{version}/openapi.json';
};

export type GetModelVersionContractErrors = {
    /**
     * The request is malformed (not JSON, not valid against the schema, bad parameter).
     */
    400: Error;
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The model does not exist.
     */
    404: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
    /**
     * The service cannot serve this right now: the model failed to load, the rate limiter's
     * store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`, (for `/auth/token`) token
     * issuance is not configured, or (for the usage operations) usage cannot be read
     * (`usage_unavailable`, with `Retry-After`).
     *
     */
    503: Error;
};

export type GetModelVersionContractError = GetModelVersionContractErrors[keyof GetModelVersionContractErrors];

export type GetModelVersionContractResponses = {
    /**
     * An OpenAPI 3.0 document.
     */
    200: OpenApiDocument;
};

export type GetModelVersionContractResponse = GetModelVersionContractResponses[keyof GetModelVersionContractResponses];

export type PredictWithModelVersionData = {
    body: PredictionRequest2;
    path: {
        /**
         * Name of a model the service holds (see `GET /models`).
         */
        model_name: string;
        /**
         * A version of the model on disk (see `versions` in `GET /models`).
         */
        version: string;
    };
    query?: {
        /**
         * Add `probabilities` to each prediction: the probability of every class, in the
         * order of the model's `classes` (null when the model gives none).
         *
         */
        probabilities?: boolean;
        /**
         * Add `score` to each prediction: an outlier detector's anomaly score (its
         * `decision_function`: negative for outliers, larger is more normal); null for other
         * models.
         *
         */
        scores?: boolean;
    };
    url: '/models/{model_name}/versions/{version}/predict';
};

export type PredictWithModelVersionErrors = {
    /**
     * The request is malformed (not JSON, not valid against the schema, bad parameter).
     */
    400: Error;
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The model does not exist.
     */
    404: Error;
    /**
     * The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`, by default
     * 4194304 bytes, 4 MiB). The default admits the largest valid request: 100 rows of
     * 1,000 features written as full-precision float64 JSON is about 2.6 MB (2,622,514
     * bytes at 24 characters a number, with full `metadata`).
     *
     */
    413: Error;
    /**
     * The body is not `application/json`, or has a content encoding.
     */
    415: Error;
    /**
     * The request is valid JSON but does not fit the model: `feature_count_mismatch` (not
     * the model's number of features), `feature_out_of_range` (a value beyond ±3.4e38, which
     * a float32 model cannot hold), `features_refused` (the model refused the values), or,
     * naming the input in `errors[].path` (`$.features.city`, `$.requests[3].features.city`):
     * `unknown_input` (a name the model does not take), `missing_input` (a required input
     * left out), `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
     * (null for an input that cannot be missing), `unknown_category` (a value outside the
     * model's categories), `input_out_of_range` (outside the input's bounds or length), or
     * `named_features_required` (a positional list for a model with string inputs).
     *
     */
    422: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
    /**
     * The service cannot serve this right now: the model failed to load, the rate limiter's
     * store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`, (for `/auth/token`) token
     * issuance is not configured, or (for the usage operations) usage cannot be read
     * (`usage_unavailable`, with `Retry-After`).
     *
     */
    503: Error;
    /**
     * The model did not answer within the service's timeout (`SPECSERVE_PREDICT_TIMEOUT`).
     */
    504: Error;
};

export type PredictWithModelVersionError = PredictWithModelVersionErrors[keyof PredictWithModelVersionErrors];

export type PredictWithModelVersionResponses = {
    /**
     * Successful prediction.
     */
    200: PredictionResponse;
};

export type PredictWithModelVersionResponse = PredictWithModelVersionResponses[keyof PredictWithModelVersionResponses];

export type BatchPredictWithModelVersionData = {
    body: BatchPredictionRequest2;
    path: {
        /**
         * Name of a model the service holds (see `GET /models`).
         */
        model_name: string;
        /**
         * A version of the model on disk (see `versions` in `GET /models`).
         */
        version: string;
    };
    query?: {
        /**
         * Add `probabilities` to each prediction: the probability of every class, in the
         * order of the model's `classes` (null when the model gives none).
         *
         */
        probabilities?: boolean;
        /**
         * Add `score` to each prediction: an outlier detector's anomaly score (its
         * `decision_function`: negative for outliers, larger is more normal); null for other
         * models.
         *
         */
        scores?: boolean;
    };
    url: '/models/{model_name}/versions/{version}/batch_predict';
};

export type BatchPredictWithModelVersionErrors = {
    /**
     * The request is malformed (not JSON, not valid against the schema, bad parameter).
     */
    400: Error;
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The model does not exist.
     */
    404: Error;
    /**
     * The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`, by default
     * 4194304 bytes, 4 MiB). The default admits the largest valid request: 100 rows of
     * 1,000 features written as full-precision float64 JSON is about 2.6 MB (2,622,514
     * bytes at 24 characters a number, with full `metadata`).
     *
     */
    413: Error;
    /**
     * The body is not `application/json`, or has a content encoding.
     */
    415: Error;
    /**
     * The request is valid JSON but does not fit the model: `feature_count_mismatch` (not
     * the model's number of features), `feature_out_of_range` (a value beyond ±3.4e38, which
     * a float32 model cannot hold), `features_refused` (the model refused the values), or,
     * naming the input in `errors[].path` (`$.features.city`, `$.requests[3].features.city`):
     * `unknown_input` (a name the model does not take), `missing_input` (a required input
     * left out), `invalid_input_type` (e.g. a string for a number), `input_not_nullable`
     * (null for an input that cannot be missing), `unknown_category` (a value outside the
     * model's categories), `input_out_of_range` (outside the input's bounds or length), or
     * `named_features_required` (a positional list for a model with string inputs).
     *
     */
    422: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
    /**
     * The service cannot serve this right now: the model failed to load, the rate limiter's
     * store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`, (for `/auth/token`) token
     * issuance is not configured, or (for the usage operations) usage cannot be read
     * (`usage_unavailable`, with `Retry-After`).
     *
     */
    503: Error;
    /**
     * The model did not answer within the service's timeout (`SPECSERVE_PREDICT_TIMEOUT`).
     */
    504: Error;
};

export type BatchPredictWithModelVersionError = BatchPredictWithModelVersionErrors[keyof BatchPredictWithModelVersionErrors];

export type BatchPredictWithModelVersionResponses = {
    /**
     * Successful batch prediction.
     */
    200: BatchPredictionResponse;
};

export type BatchPredictWithModelVersionResponse = BatchPredictWithModelVersionResponses[keyof BatchPredictWithModelVersionResponses];

export type IssueTokenData = {
    body: TokenRequest;
    path?: never;
    query?: never;
    url: '/auth/token';
};

export type IssueTokenErrors = {
    /**
     * The token request is refused (RFC 6749 section 5.2: `invalid_request`, `unsupported_grant_type`, `invalid_scope`).
     */
    400: Error;
    /**
     * Client authentication failed (RFC 6749 section 5.2: `invalid_client`).
     */
    401: Error;
    /**
     * The body is larger than the service accepts (`SPECSERVE_MAX_BODY_BYTES`, by default
     * 4194304 bytes, 4 MiB). The default admits the largest valid request: 100 rows of
     * 1,000 features written as full-precision float64 JSON is about 2.6 MB (2,622,514
     * bytes at 24 characters a number, with full `metadata`).
     *
     */
    413: Error;
    /**
     * The body is not `application/json`, or has a content encoding.
     */
    415: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
    /**
     * The service cannot serve this right now: the model failed to load, the rate limiter's
     * store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`, (for `/auth/token`) token
     * issuance is not configured, or (for the usage operations) usage cannot be read
     * (`usage_unavailable`, with `Retry-After`).
     *
     */
    503: Error;
};

export type IssueTokenError = IssueTokenErrors[keyof IssueTokenErrors];

export type IssueTokenResponses = {
    /**
     * The access token.
     */
    200: TokenResponse;
};

export type IssueTokenResponse = IssueTokenResponses[keyof IssueTokenResponses];

export type ReloadModelsData = {
    body?: never;
    path?: never;
    query?: never;
    url: '/admin/models/reload';
};

export type ReloadModelsErrors = {
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
};

export type ReloadModelsError = ReloadModelsErrors[keyof ReloadModelsErrors];

export type ReloadModelsResponses = {
    /**
     * The models now served by this worker.
     */
    200: ModelList;
};

export type ReloadModelsResponse = ReloadModelsResponses[keyof ReloadModelsResponses];

export type GetUsageData = {
    body?: never;
    path?: never;
    query?: {
        /**
         * First UTC day, included (default the first day of the current UTC month).
         */
        from?: string;
        /**
         * Last UTC day, included (default today, UTC). At most 400 days are answered.
         */
        to?: string;
    };
    url: '/usage';
};

export type GetUsageErrors = {
    /**
     * The request is malformed (not JSON, not valid against the schema, bad parameter).
     */
    400: Error;
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
    /**
     * The service cannot serve this right now: the model failed to load, the rate limiter's
     * store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`, (for `/auth/token`) token
     * issuance is not configured, or (for the usage operations) usage cannot be read
     * (`usage_unavailable`, with `Retry-After`).
     *
     */
    503: Error;
};

export type GetUsageError = GetUsageErrors[keyof GetUsageErrors];

export type GetUsageResponses = {
    /**
     * The caller's usage, its totals and its quota.
     */
    200: Usage;
};

export type GetUsageResponse = GetUsageResponses[keyof GetUsageResponses];

export type ListUsageData = {
    body?: never;
    path?: never;
    query?: {
        /**
         * First UTC day, included (default the first day of the current UTC month).
         */
        from?: string;
        /**
         * Last UTC day, included (default today, UTC). At most 400 days are answered.
         */
        to?: string;
        /**
         * Only this key's usage (the id in `ssk_<key id>_<secret>`); the same as `identity=key:<key id>`. With `identity` too, both must match.
         */
        key_id?: string;
        /**
         * Only this identity's usage: `key:<key id>` for an API key (and the tokens it issued), `sub:<token subject>` for an identity provider's subject. With `key_id` too, both must match.
         */
        identity?: string;
        /**
         * The most rows to answer.
         */
        limit?: number;
    };
    url: '/admin/usage';
};

export type ListUsageErrors = {
    /**
     * The request is malformed (not JSON, not valid against the schema, bad parameter).
     */
    400: Error;
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
    /**
     * The service cannot serve this right now: the model failed to load, the rate limiter's
     * store is down with `SPECSERVE_RATE_LIMIT_FAIL=closed`, (for `/auth/token`) token
     * issuance is not configured, or (for the usage operations) usage cannot be read
     * (`usage_unavailable`, with `Retry-After`).
     *
     */
    503: Error;
};

export type ListUsageError = ListUsageErrors[keyof ListUsageErrors];

export type ListUsageResponses = {
    /**
     * The usage rows.
     */
    200: UsageList;
};

export type ListUsageResponse = ListUsageResponses[keyof ListUsageResponses];

export type HealthCheckData = {
    body?: never;
    path?: never;
    query?: never;
    url: '/health';
};

export type HealthCheckErrors = {
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
    /**
     * The service is unhealthy.
     */
    503: Health;
};

export type HealthCheckError = HealthCheckErrors[keyof HealthCheckErrors];

export type HealthCheckResponses = {
    /**
     * The service is healthy or degraded.
     */
    200: Health;
};

export type HealthCheckResponse = HealthCheckResponses[keyof HealthCheckResponses];

export type GetMetricsData = {
    body?: never;
    path?: never;
    query?: never;
    url: '/metrics';
};

export type GetMetricsErrors = {
    /**
     * No credentials, or credentials that are not valid.
     */
    401: Error;
    /**
     * The credentials are valid but lack the operation's scope (`insufficient_scope`), or the key is limited to other models (`model_not_allowed`).
     */
    403: Error;
    /**
     * The rate limit is exhausted (per API key, or per client IP for unauthenticated
     * traffic): `rate_limited`. A batch consumes one unit per row. Retry after
     * `Retry-After` seconds. The default limit, 100 a minute per key
     * (`SPECSERVE_RATE_LIMIT`), admits the largest batch.
     *
     * `cost_exceeds_limit`: the request costs more than the caller's whole limit (a batch
     * of more rows than its tier admits in a window), so no wait would ever admit it. It is
     * refused at once, charged nothing, and carries no `Retry-After` (and no
     * `retry_after`): do not retry it; send smaller batches. The message names the limit
     * and the cost.
     *
     * `quota_exceeded`: the caller's quota (units per UTC day or month: an API key's own
     * or its tier's; an identity provider's subject has its `default` tier's) is used up,
     * or this request costs more than what remains of it (a batch is refused whole,
     * charged nothing). `Retry-After` (and `retry_after`) count the seconds to the period's end,
     * which can be days: retry then, or send a smaller batch if `X-Quota-Remaining` admits
     * one. A request costing more than the whole quota is `cost_exceeds_limit`.
     *
     */
    429: Error;
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
};

export type GetMetricsError = GetMetricsErrors[keyof GetMetricsErrors];

export type GetMetricsResponses = {
    /**
     * The metrics.
     */
    200: string;
};

export type GetMetricsResponse = GetMetricsResponses[keyof GetMetricsResponses];

export type GetDocsData = {
    body?: never;
    path?: never;
    query?: never;
    url: '/docs';
};

export type GetDocsErrors = {
    /**
     * More than 100 headers, or a request head over `SPECSERVE_MAX_HEAD_BYTES` (32 KiB by default).
     */
    431: Error;
    /**
     * An unexpected error in the service (`internal_error`), or a model that failed or
     * answered something that is not a prediction (`model_error`). The body never carries
     * internals; quote its `request_id`.
     *
     */
    500: Error;
};

export type GetDocsError = GetDocsErrors[keyof GetDocsErrors];

export type GetDocsResponses = {
    /**
     * The HTML reference.
     */
    200: string;
};

export type GetDocsResponse = GetDocsResponses[keyof GetDocsResponses];
