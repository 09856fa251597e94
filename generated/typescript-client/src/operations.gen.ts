// generated from openapi/openapi.yaml by `make generate` — do not edit
/** Per operation: method, path and whether a retry is safe (`x-idempotent`). */
export const OPERATIONS = {
  predict: {"method": "POST", "path": "/predict", "idempotent": true},
  batchPredict: {"method": "POST", "path": "/batch_predict", "idempotent": true},
  listModels: {"method": "GET", "path": "/models", "idempotent": true},
  getModel: {"method": "GET", "path": "/models/{model_name}", "idempotent": true},
  predictWithModel: {"method": "POST", "path": "/models/{model_name}/predict", "idempotent": true},
  batchPredictWithModel: {"method": "POST", "path": "/models/{model_name}/batch_predict", "idempotent": true},
  getModelContract: {"method": "GET", "path": "/models/{model_name}/openapi.json", "idempotent": true},
  getModelVersion: {"method": "GET", "path": "/models/{model_name}/versions/{version}", "idempotent": true},
  getModelVersionContract: {"method": "GET", "path": "/models/{model_name}/versions/{version}/openapi.json", "idempotent": true},
  predictWithModelVersion: {"method": "POST", "path": "/models/{model_name}/versions/{version}/predict", "idempotent": true},
  batchPredictWithModelVersion: {"method": "POST", "path": "/models/{model_name}/versions/{version}/batch_predict", "idempotent": true},
  issueToken: {"method": "POST", "path": "/auth/token", "idempotent": false},
  reloadModels: {"method": "POST", "path": "/admin/models/reload", "idempotent": true},
  getUsage: {"method": "GET", "path": "/usage", "idempotent": true},
  listUsage: {"method": "GET", "path": "/admin/usage", "idempotent": true},
  healthCheck: {"method": "GET", "path": "/health", "idempotent": true},
  getMetrics: {"method": "GET", "path": "/metrics", "idempotent": true},
  getDocs: {"method": "GET", "path": "/docs", "idempotent": true},
} as const;

export type OperationId = keyof typeof OPERATIONS;
