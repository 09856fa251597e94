// hand-written: copied from sdk-templates/typescript/src/index.ts by `make generate`; edit it there, not here
export * from './errors.js';
export * from './retry.js';
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
