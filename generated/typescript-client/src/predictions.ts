// hand-written: copied from sdk-templates/typescript/src/predictions.ts by `make generate`; edit it there, not here
// The high-level `predict(features, { model, version, ... })` and `batchPredict(rows, ...)`:
// one method for every model and version, plain features in, a `Prediction` out (the
// body's fields, absent ones as null, and the response's request id). The generated
// client (specserve.ts) routes them to the operations; the body form of each operation
// (`predict({ features }, options)`) stays as generated.
import type { APIPromise, RequestOptions, WithResponse } from './base.js';

/** One named input's value. */
export type FeatureValue = number | string | boolean | null;

/** One row: numbers in the model's input order, or an object keyed by input name. */
export type Features = number[] | { [name: string]: FeatureValue };

/** Which model: none (the default model), a model, or a model's version. */
export type ModelChoice = { model?: undefined; version?: undefined } | { model: string; version?: string };

/** Options of `predict(features, ...)` and `batchPredict(rows, ...)`. */
export type PredictionOptions = RequestOptions &
  ModelChoice & {
    /** Ask for every class's probability (`probabilities`). */
    probabilities?: boolean;
    /** Ask for an outlier detector's score (`score`). */
    scores?: boolean;
  };

/**
 * One prediction. Absent values are `null`, never `undefined`: `probability` when the model
 * gives none; `label` unless the model is a classifier with string labels; `probabilities`
 * and `score` when not asked for and when asked but the model has none to show.
 * `request_id` is the body's (the id the prediction was made under); `requestId` the
 * response's `X-Request-ID` header (null in a batch's rows, and when there is none).
 */
export interface Prediction {
  prediction: number;
  probability: number | null;
  label: string | null;
  probabilities: number[] | null;
  score: number | null;
  model_version: string;
  request_id: string;
  processing_time_ms: number;
  requestId: string | null;
}

/** A batch: each row's `Prediction` (its own `request_id`), and the response's `requestId`. */
export interface BatchPrediction {
  predictions: Prediction[];
  total_processing_time_ms: number;
  requestId: string | null;
}

/** The operations a routed call ends up in, as the generated client defines them. */
export interface Routes<B, R> {
  latest(body: B, options: QueryOptions): APIPromise<R>;
  model(model: string, body: B, options: QueryOptions): APIPromise<R>;
  version(model: string, version: string, body: B, options: QueryOptions): APIPromise<R>;
}

type QueryOptions = RequestOptions & { probabilities?: boolean; scores?: boolean };

const NULLABLE = ['probability', 'label', 'probabilities', 'score'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `input` is an operation's request body (`{ features: [...] | {...} }` or
 * `{ requests: [...] }`), not a row: a row's values are scalars. */
export function isRequestBody(input: unknown, key: 'features' | 'requests'): boolean {
  if (!isRecord(input) || !(key in input)) return false;
  const value = input[key];
  return typeof value === 'object' && value !== null;
}

/** A response body as a `Prediction` (unknown properties a later API adds are kept). */
export function toPrediction(body: unknown, requestId: string | null = null): Prediction {
  const fields: Record<string, unknown> = isRecord(body) ? { ...body } : {};
  for (const name of NULLABLE) fields[name] ??= null;
  return { ...fields, requestId } as unknown as Prediction;
}

/** A batch response body as a `BatchPrediction`. */
export function toBatchPrediction(body: unknown, requestId: string | null = null): BatchPrediction {
  const fields: Record<string, unknown> = isRecord(body) ? { ...body } : {};
  const rows = Array.isArray(fields.predictions) ? fields.predictions : [];
  return { ...fields, predictions: rows.map((row) => toPrediction(row)), requestId } as unknown as BatchPrediction;
}

function mapPromise<R, T>(call: APIPromise<R>, convert: (data: R, response: Response) => T): APIPromise<T> {
  const raw: Promise<WithResponse<T>> = call
    .withResponse()
    .then(({ data, response }) => ({ data: convert(data, response), response }));
  const data = raw.then((result) => result.data);
  data.catch(() => undefined); // a caller using only withResponse() sees the error there
  return Object.assign(data, { withResponse: () => raw });
}

function rejected<T>(error: Error): APIPromise<T> {
  const raw = Promise.reject(error);
  raw.catch(() => undefined);
  const data = raw.then(() => undefined as T);
  data.catch(() => undefined);
  return Object.assign(data, { withResponse: () => raw as Promise<WithResponse<T>> });
}

/** Send `body` to the operation `options.model` / `options.version` name; convert the result. */
export function routed<B, R, T>(
  body: B,
  options: PredictionOptions | undefined,
  routes: Routes<B, R>,
  convert: (data: R, requestId: string | null) => T,
): APIPromise<T> {
  const { model, version, ...rest } = (options ?? {}) as PredictionOptions & { model?: string; version?: string };
  if (version !== undefined && model === undefined) {
    return rejected(
      new TypeError(`version ${JSON.stringify(version)} needs a model: pass { model: '<name>', version: '${version}' }`),
    );
  }
  const call =
    model === undefined
      ? routes.latest(body, rest)
      : version === undefined
        ? routes.model(model, body, rest)
        : routes.version(model, version, body, rest);
  return mapPromise(call, (data, response) => convert(data, response.headers.get('x-request-id')));
}
