// hand-written: copied from sdk-templates/typescript/src/index.ts by `make generate`; edit it there, not here
export {
  DEFAULT_BASE_URL,
  ENV_API_KEY,
  ENV_BASE_URL,
  ENV_LOG,
  SpecserveBase,
  type APIPromise,
  type RequestOptions,
  type SpecserveClientOptions,
  type WithDefaults,
  type WithResponse,
} from './base.js';
export { DEPRECATION_WARNING_CODE } from './deprecation.js';
export * from './errors.js';
export * from './retry.js';
export type { Log, LogLevel, Logger } from './log.js';
export {
  toBatchPrediction,
  toPrediction,
  type BatchPrediction,
  type FeatureValue,
  type Features,
  type ModelChoice,
  type Prediction,
  type PredictionOptions,
} from './predictions.js';
export * from './specserve.js';
export { OPERATIONS, type OperationId } from './operations.gen.js';
export type {
  BatchPredictionRequest,
  BatchPredictionResponse,
  FieldError,
  Health,
  HealthCheckResult,
  ModelList,
  ModelMetadata,
  ModelSummary,
  PredictionMetadata,
  PredictionRequest,
  PredictionResponse,
  TokenRequest,
  TokenResponse,
} from './gen/types.gen.js';
/** Every operation as generated from the spec, with the generated client. */
export * as api from './gen/index.js';
export { createClient, createConfig } from './gen/client/index.js';
