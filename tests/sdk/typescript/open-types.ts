// Compiled with `tsc --strict --noEmit` by tests/sdk/test_typescript_sdk.py against the built
// SDK's declarations: values a later version of the API adds to a response enum type-check
// (the unions are open), and the known values are still literal members.
import type { Health, ModelMetadata, ModelSummary } from '../../../generated/typescript-client/dist/index.js';

declare const model: ModelMetadata;
declare const health: Health;

export const task: ModelMetadata['task'] = 'ranking';
export const runtime: ModelMetadata['runtime'] = 'tensorrt';
export const status: ModelSummary['status'] = 'warming-up';
export const known: Array<ModelMetadata['task']> = ['classification', 'regression'];
// A comparison with a value outside a closed union is a compile error ("no overlap").
export const later = model.task === 'ranking' || health.status === 'maintenance';
export const check = health.checks['gpu']?.status === 'throttled';
