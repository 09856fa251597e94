// generated from openapi/openapi.yaml by `make generate` — do not edit
// The high-level client, written from the spec by scripts/typescript_client.py: one method
// per operation; the shared behaviour (retries, errors, deprecation warnings) is base.ts.
import { SpecserveBase, queryOf } from './base.js';
import type { APIPromise, RequestOptions, WithDefaults } from './base.js';
import * as gen from './gen/sdk.gen.js';
import { isRequestBody, routed, toBatchPrediction, toPrediction } from './predictions.js';
import type { BatchPrediction, Features, Prediction, PredictionOptions } from './predictions.js';
import type {
  BatchPredictData,
  BatchPredictResponse,
  BatchPredictWithModelData,
  BatchPredictWithModelResponse,
  BatchPredictWithModelVersionData,
  BatchPredictWithModelVersionResponse,
  GetDocsResponse,
  GetMetricsResponse,
  GetModelContractData,
  GetModelContractResponse,
  GetModelData,
  GetModelResponse,
  GetModelVersionContractData,
  GetModelVersionContractResponse,
  GetModelVersionData,
  GetModelVersionResponse,
  GetUsageData,
  GetUsageResponse,
  HealthCheckResponse,
  IssueTokenData,
  IssueTokenResponse,
  ListModelsResponse,
  ListUsageData,
  ListUsageResponse,
  PredictData,
  PredictResponse,
  PredictWithModelData,
  PredictWithModelResponse,
  PredictWithModelVersionData,
  PredictWithModelVersionResponse,
  ReloadModelsResponse,
} from './gen/types.gen.js';

/** Options of `predict`: query parameters and per-call options. */
export type PredictOptions = RequestOptions &
  NonNullable<PredictData['query']>;

/** Options of `batchPredict`: query parameters and per-call options. */
export type BatchPredictOptions = RequestOptions &
  NonNullable<BatchPredictData['query']>;

/** Options of `predictWithModel`: query parameters and per-call options. */
export type PredictWithModelOptions = RequestOptions &
  NonNullable<PredictWithModelData['query']>;

/** Options of `batchPredictWithModel`: query parameters and per-call options. */
export type BatchPredictWithModelOptions = RequestOptions &
  NonNullable<BatchPredictWithModelData['query']>;

/** Options of `predictWithModelVersion`: query parameters and per-call options. */
export type PredictWithModelVersionOptions = RequestOptions &
  NonNullable<PredictWithModelVersionData['query']>;

/** Options of `batchPredictWithModelVersion`: query parameters and per-call options. */
export type BatchPredictWithModelVersionOptions = RequestOptions &
  NonNullable<BatchPredictWithModelVersionData['query']>;

/** Options of `getUsage`: query parameters and per-call options. */
export type GetUsageOptions = RequestOptions &
  NonNullable<GetUsageData['query']>;

/** Options of `listUsage`: query parameters and per-call options. */
export type ListUsageOptions = RequestOptions &
  NonNullable<ListUsageData['query']>;

/** The specserve API: one method per operation of the spec. */
export class SpecserveClient extends SpecserveBase {
  /**
   * One prediction: `features` a row (numbers in the model's input order, or an object keyed by input
   * name), scored by the default model, `options.model`, or its `options.version`. The body form below is
   * the operation as generated.
   */
  predict(features: Features, options?: PredictionOptions): APIPromise<Prediction>;
  /**
   * Single prediction (`POST /predict`).
   * Make a single prediction with the default model.
   */
  predict(body: PredictData['body'], options?: PredictOptions): APIPromise<PredictResponse>;
  predict(
    input: Features | PredictData['body'],
    options?: PredictionOptions | PredictOptions,
  ): APIPromise<Prediction> | APIPromise<PredictResponse> {
    if (!isRequestBody(input, 'features')) {
      return routed<PredictData['body'], PredictResponse, Prediction>(
        { features: input as Features },
        options as PredictionOptions,
        {
          latest: (body, o) => this.predict(body, o),
          model: (model, body, o) => this.predictWithModel(model, body, o),
          version: (model, version, body, o) =>
            this.predictWithModelVersion(model, version, body, o),
        },
        toPrediction,
      );
    }
    const body = input as PredictData['body'];
    const opts = options as PredictOptions | undefined;
    return this.send<PredictResponse>(
      'predict',
      (o) => gen.predict({ ...o, ...queryOf(opts, ["probabilities", "scores"] as const), body }),
      opts,
    );
  }

  /**
   * Many predictions in one request: `rows` plain rows (each as `predict` takes them), scored by the
   * default model, `options.model`, or its `options.version`. The body form below is the operation as
   * generated.
   */
  batchPredict(rows: Features[], options?: PredictionOptions): APIPromise<BatchPrediction>;
  /**
   * Batch predictions (`POST /batch_predict`).
   * Make up to 100 predictions with the default model in one request.
   */
  batchPredict(
    body: BatchPredictData['body'],
    options?: BatchPredictOptions,
  ): APIPromise<BatchPredictResponse>;
  batchPredict(
    input: Features[] | BatchPredictData['body'],
    options?: PredictionOptions | BatchPredictOptions,
  ): APIPromise<BatchPrediction> | APIPromise<BatchPredictResponse> {
    if (!isRequestBody(input, 'requests')) {
      return routed<BatchPredictData['body'], BatchPredictResponse, BatchPrediction>(
        { requests: (input as Features[]).map((features) => ({ features })) },
        options as PredictionOptions,
        {
          latest: (body, o) => this.batchPredict(body, o),
          model: (model, body, o) => this.batchPredictWithModel(model, body, o),
          version: (model, version, body, o) =>
            this.batchPredictWithModelVersion(model, version, body, o),
        },
        toBatchPrediction,
      );
    }
    const body = input as BatchPredictData['body'];
    const opts = options as BatchPredictOptions | undefined;
    return this.send<BatchPredictResponse>(
      'batchPredict',
      (o) => gen.batchPredict({ ...o, ...queryOf(opts, ["probabilities", "scores"] as const), body }),
      opts,
    );
  }

  /**
   * List models (`GET /models`).
   * The models the service holds, each with the version it serves and the versions on disk.
   */
  listModels(options?: RequestOptions): APIPromise<ListModelsResponse> {
    return this.send('listModels', (o) => gen.listModels(o), options);
  }

  /**
   * Model metadata (`GET /models/{model_name}`).
   * Version, features, classes, description and held-out metrics of one model.
   */
  getModel(
    modelName: GetModelData['path']['model_name'],
    options?: RequestOptions,
  ): APIPromise<GetModelResponse> {
    return this.send('getModel', (o) => gen.getModel({ ...o, path: { model_name: modelName } }), options);
  }

  /**
   * Single prediction with a named model (`POST /models/{model_name}/predict`).
   * Same as `POST /predict`, with the model named in the path.
   */
  predictWithModel(
    modelName: PredictWithModelData['path']['model_name'],
    body: PredictWithModelData['body'],
    options?: PredictWithModelOptions,
  ): APIPromise<PredictWithModelResponse> {
    return this.send(
      'predictWithModel',
      (o) => gen.predictWithModel({ ...o, path: { model_name: modelName }, ...queryOf(options, ["probabilities", "scores"] as const), body }),
      options,
    );
  }

  /**
   * Batch predictions with a named model (`POST /models/{model_name}/batch_predict`).
   * Same as `POST /batch_predict`, with the model named in the path.
   */
  batchPredictWithModel(
    modelName: BatchPredictWithModelData['path']['model_name'],
    body: BatchPredictWithModelData['body'],
    options?: BatchPredictWithModelOptions,
  ): APIPromise<BatchPredictWithModelResponse> {
    return this.send(
      'batchPredictWithModel',
      (o) => gen.batchPredictWithModel({ ...o, path: { model_name: modelName }, ...queryOf(options, ["probabilities", "scores"] as const), body }),
      options,
    );
  }

  /**
   * The model's own OpenAPI document (`GET /models/{model_name}/openapi.json`).
   * This model's own contract: the model operations of this API (metadata, predict, batch predict) with
   * `features` specialised to the model's inputs (names, types, categories, which may be null) and `label`
   * to its classes, derived from the serving version's signature when it loads.
   */
  getModelContract(
    modelName: GetModelContractData['path']['model_name'],
    options?: RequestOptions,
  ): APIPromise<GetModelContractResponse> {
    return this.send(
      'getModelContract',
      (o) => gen.getModelContract({ ...o, path: { model_name: modelName } }),
      options,
    );
  }

  /**
   * Metadata of one model version (`GET /models/{model_name}/versions/{version}`).
   * Like `GET /models/{model_name}`, for any version on disk (see `versions` in `GET /models`), whether or
   * not it is the one the unversioned routes serve.
   */
  getModelVersion(
    modelName: GetModelVersionData['path']['model_name'],
    version: GetModelVersionData['path']['version'],
    options?: RequestOptions,
  ): APIPromise<GetModelVersionResponse> {
    return this.send(
      'getModelVersion',
      (o) => gen.getModelVersion({ ...o, path: { model_name: modelName, version } }),
      options,
    );
  }

  /**
   * One model version's own OpenAPI document (`GET /models/{model_name}/versions/{version}/openapi.json`).
   * Like `GET /models/{model_name}/openapi.json`, for one version (its own routes).
   */
  getModelVersionContract(
    modelName: GetModelVersionContractData['path']['model_name'],
    version: GetModelVersionContractData['path']['version'],
    options?: RequestOptions,
  ): APIPromise<GetModelVersionContractResponse> {
    return this.send(
      'getModelVersionContract',
      (o) => gen.getModelVersionContract({ ...o, path: { model_name: modelName, version } }),
      options,
    );
  }

  /**
   * Single prediction with one model version (`POST /models/{model_name}/versions/{version}/predict`).
   * Same as `POST /predict`, with the model and its version named in the path.
   */
  predictWithModelVersion(
    modelName: PredictWithModelVersionData['path']['model_name'],
    version: PredictWithModelVersionData['path']['version'],
    body: PredictWithModelVersionData['body'],
    options?: PredictWithModelVersionOptions,
  ): APIPromise<PredictWithModelVersionResponse> {
    return this.send(
      'predictWithModelVersion',
      (o) => gen.predictWithModelVersion({ ...o, path: { model_name: modelName, version }, ...queryOf(options, ["probabilities", "scores"] as const), body }),
      options,
    );
  }

  /**
   * Batch predictions with one model version (`POST /models/{model_name}/versions/{version}/batch_predict`).
   * Same as `POST /batch_predict`, with the model and its version named in the path.
   */
  batchPredictWithModelVersion(
    modelName: BatchPredictWithModelVersionData['path']['model_name'],
    version: BatchPredictWithModelVersionData['path']['version'],
    body: BatchPredictWithModelVersionData['body'],
    options?: BatchPredictWithModelVersionOptions,
  ): APIPromise<BatchPredictWithModelVersionResponse> {
    return this.send(
      'batchPredictWithModelVersion',
      (o) => gen.batchPredictWithModelVersion({ ...o, path: { model_name: modelName, version }, ...queryOf(options, ["probabilities", "scores"] as const), body }),
      options,
    );
  }

  /**
   * Issue an access token (`POST /auth/token`).
   * OAuth2 client-credentials grant (RFC 6749 section 4.4).
   */
  issueToken(
    body: WithDefaults<IssueTokenData['body'], "grant_type"> = {},
    options?: RequestOptions,
  ): APIPromise<IssueTokenResponse> {
    return this.send(
      'issueToken',
      (o) => gen.issueToken({ ...o, body: { "grant_type": "client_credentials", ...body } }),
      options,
    );
  }

  /**
   * Reload models (`POST /admin/models/reload`).
   * Rescan the model directory and serve the newest version of every model, without downtime: every worker
   * loads the new artifacts in the background and swaps them in atomically, so each response comes wholly
   * from the old or wholly from the new version.
   */
  reloadModels(options?: RequestOptions): APIPromise<ReloadModelsResponse> {
    return this.send('reloadModels', (o) => gen.reloadModels(o), options);
  }

  /**
   * Your usage and quota (`GET /usage`).
   * The calling key's (or token subject's) own usage, per UTC day and model, from `from` to `to` (both
   * included; by default the first day of the current UTC month to today; a longer span than 400 days is
   * answered for its last 400, as the answer's `from` says, and one ending before it starts is empty),
   * with its totals, and its quota with what remains.
   */
  getUsage(options?: GetUsageOptions): APIPromise<GetUsageResponse> {
    return this.send(
      'getUsage',
      (o) => gen.getUsage({ ...o, ...queryOf(options, ["from", "to"] as const) }),
      options,
    );
  }

  /**
   * Usage of every key (`GET /admin/usage`).
   * Usage per identity (`key:<key id>` or `sub:<token subject>`), UTC day and model, from `from` to `to`
   * (as `GET /usage`), for every identity or one key (`key_id`).
   */
  listUsage(options?: ListUsageOptions): APIPromise<ListUsageResponse> {
    return this.send(
      'listUsage',
      (o) => gen.listUsage({ ...o, ...queryOf(options, ["from", "to", "key_id", "identity", "limit"] as const) }),
      options,
    );
  }

  /**
   * Health check (`GET /health`).
   * Service health; credentials optional.
   */
  healthCheck(options?: RequestOptions): APIPromise<HealthCheckResponse> {
    return this.send('healthCheck', (o) => gen.healthCheck(o), options, [503]);
  }

  /**
   * Prometheus metrics (`GET /metrics`).
   * Metrics in the Prometheus text exposition format (version 0.0.4), aggregated over every worker
   * process: requests by route and status, latency by route, predictions and rows by model and version,
   * model load failures.
   */
  getMetrics(options?: RequestOptions): APIPromise<GetMetricsResponse> {
    return this.send('getMetrics', (o) => gen.getMetrics(o), options);
  }

  /**
   * API reference (`GET /docs`).
   * This API reference as one self-contained HTML page (no external requests), without authentication.
   */
  getDocs(options?: RequestOptions): APIPromise<GetDocsResponse> {
    return this.send('getDocs', (o) => gen.getDocs(o), options);
  }

  /** Short name of `healthCheck`. */
  health(options?: RequestOptions): APIPromise<HealthCheckResponse> {
    return this.healthCheck(options);
  }

  /** Short name of `listModels`. */
  models(options?: RequestOptions): APIPromise<ListModelsResponse> {
    return this.listModels(options);
  }

  /** Short name of `getModel`. */
  model(
    modelName: GetModelData['path']['model_name'],
    options?: RequestOptions,
  ): APIPromise<GetModelResponse> {
    return this.getModel(modelName, options);
  }
}
