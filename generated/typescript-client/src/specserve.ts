// generated from openapi/openapi.yaml by `make generate` — do not edit
// The high-level client, written from the spec by scripts/typescript_client.py: one method
// per operation; the shared behaviour (retries, errors, deprecation warnings) is base.ts.
import { SpecserveBase, queryOf } from './base.js';
import type { APIPromise, RequestOptions, WithDefaults } from './base.js';
import * as gen from './gen/sdk.gen.js';
import type {
  BatchPredictData,
  BatchPredictResponse,
  BatchPredictWithModelData,
  BatchPredictWithModelResponse,
  BatchPredictWithModelVersionData,
  BatchPredictWithModelVersionResponse,
  GetDocsResponse,
  GetMetricsResponse,
  GetModelData,
  GetModelResponse,
  GetModelVersionData,
  GetModelVersionResponse,
  HealthCheckResponse,
  IssueTokenData,
  IssueTokenResponse,
  ListModelsResponse,
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

/** The specserve API: one method per operation of the spec. */
export class SpecserveClient extends SpecserveBase {
  /** Single prediction (`POST /predict`). */
  predict(body: PredictData['body'], options?: PredictOptions): APIPromise<PredictResponse> {
    return this.send(
      'predict',
      (o) => gen.predict({ ...o, ...queryOf(options, ["probabilities"] as const), body }),
      options,
    );
  }

  /** Batch predictions (`POST /batch_predict`). */
  batchPredict(
    body: BatchPredictData['body'],
    options?: BatchPredictOptions,
  ): APIPromise<BatchPredictResponse> {
    return this.send(
      'batchPredict',
      (o) => gen.batchPredict({ ...o, ...queryOf(options, ["probabilities"] as const), body }),
      options,
    );
  }

  /** List models (`GET /models`). */
  listModels(options?: RequestOptions): APIPromise<ListModelsResponse> {
    return this.send('listModels', (o) => gen.listModels(o), options);
  }

  /** Model metadata (`GET /models/{model_name}`). */
  getModel(
    modelName: GetModelData['path']['model_name'],
    options?: RequestOptions,
  ): APIPromise<GetModelResponse> {
    return this.send('getModel', (o) => gen.getModel({ ...o, path: { model_name: modelName } }), options);
  }

  /** Single prediction with a named model (`POST /models/{model_name}/predict`). */
  predictWithModel(
    modelName: PredictWithModelData['path']['model_name'],
    body: PredictWithModelData['body'],
    options?: PredictWithModelOptions,
  ): APIPromise<PredictWithModelResponse> {
    return this.send(
      'predictWithModel',
      (o) => gen.predictWithModel({ ...o, path: { model_name: modelName }, ...queryOf(options, ["probabilities"] as const), body }),
      options,
    );
  }

  /** Batch predictions with a named model (`POST /models/{model_name}/batch_predict`). */
  batchPredictWithModel(
    modelName: BatchPredictWithModelData['path']['model_name'],
    body: BatchPredictWithModelData['body'],
    options?: BatchPredictWithModelOptions,
  ): APIPromise<BatchPredictWithModelResponse> {
    return this.send(
      'batchPredictWithModel',
      (o) => gen.batchPredictWithModel({ ...o, path: { model_name: modelName }, ...queryOf(options, ["probabilities"] as const), body }),
      options,
    );
  }

  /** Metadata of one model version (`GET /models/{model_name}/versions/{version}`). */
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

  /** Single prediction with one model version (`POST /models/{model_name}/versions/{version}/predict`). */
  predictWithModelVersion(
    modelName: PredictWithModelVersionData['path']['model_name'],
    version: PredictWithModelVersionData['path']['version'],
    body: PredictWithModelVersionData['body'],
    options?: PredictWithModelVersionOptions,
  ): APIPromise<PredictWithModelVersionResponse> {
    return this.send(
      'predictWithModelVersion',
      (o) => gen.predictWithModelVersion({ ...o, path: { model_name: modelName, version }, ...queryOf(options, ["probabilities"] as const), body }),
      options,
    );
  }

  /** Batch predictions with one model version (`POST /models/{model_name}/versions/{version}/batch_predict`). */
  batchPredictWithModelVersion(
    modelName: BatchPredictWithModelVersionData['path']['model_name'],
    version: BatchPredictWithModelVersionData['path']['version'],
    body: BatchPredictWithModelVersionData['body'],
    options?: BatchPredictWithModelVersionOptions,
  ): APIPromise<BatchPredictWithModelVersionResponse> {
    return this.send(
      'batchPredictWithModelVersion',
      (o) => gen.batchPredictWithModelVersion({ ...o, path: { model_name: modelName, version }, ...queryOf(options, ["probabilities"] as const), body }),
      options,
    );
  }

  /** Issue an access token (`POST /auth/token`). */
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

  /** Reload models (`POST /admin/models/reload`). */
  reloadModels(options?: RequestOptions): APIPromise<ReloadModelsResponse> {
    return this.send('reloadModels', (o) => gen.reloadModels(o), options);
  }

  /** Health check (`GET /health`). */
  healthCheck(options?: RequestOptions): APIPromise<HealthCheckResponse> {
    return this.send('healthCheck', (o) => gen.healthCheck(o), options, [503]);
  }

  /** Prometheus metrics (`GET /metrics`). */
  getMetrics(options?: RequestOptions): APIPromise<GetMetricsResponse> {
    return this.send('getMetrics', (o) => gen.getMetrics(o), options);
  }

  /** API reference (`GET /docs`). */
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
