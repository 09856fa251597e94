// The high-level client: typed predict/batchPredict/health/models, API key or bearer auth,
// bounded retries with backoff, jitter and Retry-After, one error class per status.
import { createClient, createConfig, type Client } from './gen/client/index.js';
import {
  batchPredict,
  getModel,
  healthCheck,
  issueToken,
  listModels,
  predict,
  predictWithModel,
} from './gen/sdk.gen.js';
import type {
  BatchPredictionResponse,
  Error as Problem,
  Health,
  ModelList,
  ModelMetadata,
  PredictionResponse,
  TokenResponse,
} from './gen/types.gen.js';

export type { Problem };

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** First backoff in ms, doubled per retry (default 500). */
  backoffMs?: number;
  /** Cap of one backoff in ms (default 8000). */
  maxBackoffMs?: number;
  /** Fraction of a backoff removed at random (default 0.5). */
  jitter?: number;
  /** A longer Retry-After is not waited for: the error is raised (default 60000). */
  maxRetryAfterMs?: number;
  /** Statuses retried (default 429 and 503). */
  statuses?: number[];
}

export interface SpecserveClientOptions {
  /** e.g. `http://127.0.0.1:8000/v1` */
  baseUrl: string;
  /** Sent as `X-API-Key`. */
  apiKey?: string;
  /** Sent as `Authorization: Bearer`. */
  token?: string;
  /** Per attempt, in ms (default 30000). */
  timeoutMs?: number;
  retry?: RetryOptions;
  headers?: Record<string, string>;
  /** The fetch implementation (default `globalThis.fetch`). */
  fetch?: typeof fetch;
}

/** An error response; `problem` is the spec's `Error` document. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly problem: Problem | undefined;
  readonly headers: Headers;

  constructor(status: number, problem: Problem | undefined, headers: Headers, text = '') {
    const code = problem?.error ?? `http_${status}`;
    const requestId = problem?.request_id ?? headers.get('x-request-id') ?? undefined;
    super(`${status} ${code}: ${problem?.message ?? text} (request id ${requestId})`);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.problem = problem;
    this.headers = headers;
  }
}

export class BadRequestError extends ApiError {}
export class AuthenticationError extends ApiError {}
export class PermissionDeniedError extends ApiError {}
export class NotFoundError extends ApiError {}
export class UnprocessableError extends ApiError {}
export class RateLimitError extends ApiError {
  /** The wait the service asked for, in ms. */
  get retryAfterMs(): number | undefined {
    return parseRetryAfter(this.headers.get('retry-after'));
  }
}
export class InternalServerError extends ApiError {}
export class ServiceUnavailableError extends ApiError {}

/** The service could not be reached (after the retries). */
export class ApiConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiConnectionError';
  }
}

const ERRORS: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: UnprocessableError,
  429: RateLimitError,
  500: InternalServerError,
  503: ServiceUnavailableError,
};

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'error' in body && 'status' in body;
}

export function errorFor(response: Response, body: unknown): ApiError {
  const Class = ERRORS[response.status] ?? ApiError;
  const problem = isProblem(body) ? body : undefined;
  return new Class(response.status, problem, response.headers, typeof body === 'string' ? body : '');
}

/** Milliseconds from a `Retry-After` header (seconds or an HTTP date). */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const when = Date.parse(value);
  return Number.isNaN(when) ? undefined : Math.max(0, when - Date.now());
}

/** The wait before retry `attempt` (0-based), or undefined to give up. */
export function retryDelay(
  policy: Required<RetryOptions>,
  attempt: number,
  retryAfterMs: number | undefined,
): number | undefined {
  if (attempt >= policy.maxRetries) return undefined;
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > policy.maxRetryAfterMs) return undefined;
    return retryAfterMs + Math.random() * policy.jitter * policy.backoffMs;
  }
  const delay = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** attempt);
  return delay * (1 - Math.random() * policy.jitter);
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** A fetch that retries network errors and the policy's statuses, each attempt timed out. */
export function retryingFetch(
  policy: Required<RetryOptions>,
  timeoutMs: number,
  base: typeof fetch = globalThis.fetch,
): typeof fetch {
  return async (input, init) => {
    const original = new Request(input, init);
    for (let attempt = 0; ; attempt++) {
      const signal = AbortSignal.any([original.signal, AbortSignal.timeout(timeoutMs)]);
      let response: Response;
      try {
        response = await base(original.clone(), { signal });
      } catch (cause) {
        const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
        const wait = timedOut || original.signal.aborted ? undefined : retryDelay(policy, attempt, undefined);
        if (wait === undefined) {
          throw new ApiConnectionError(`${original.method} ${original.url} failed: ${String(cause)}`, { cause });
        }
        await sleep(wait);
        continue;
      }
      if (!policy.statuses.includes(response.status)) return response;
      const wait = retryDelay(policy, attempt, parseRetryAfter(response.headers.get('retry-after')));
      if (wait === undefined) return response;
      await response.body?.cancel();
      await sleep(wait);
    }
  };
}

type Outcome<T> = { data?: T; error?: unknown; response?: Response };

export class SpecserveClient {
  /** The generated client, for the per-operation functions (`api.*`). */
  readonly client: Client;

  constructor(options: SpecserveClientOptions) {
    if (options.apiKey && options.token) throw new TypeError('pass apiKey or token, not both');
    const policy: Required<RetryOptions> = {
      maxRetries: 3,
      backoffMs: 500,
      maxBackoffMs: 8000,
      jitter: 0.5,
      maxRetryAfterMs: 60000,
      statuses: [429, 503],
      ...options.retry,
    };
    const { apiKey, token } = options;
    this.client = createClient(
      createConfig({
        baseUrl: options.baseUrl.replace(/\/$/, ''),
        headers: options.headers,
        fetch: retryingFetch(policy, options.timeoutMs ?? 30000, options.fetch),
        auth: (auth) => (auth.type === 'apiKey' ? apiKey : auth.scheme === 'bearer' ? token : undefined),
      }),
    );
  }

  /** One prediction from the default model, or from `options.model`; `options.probabilities`:
   * one probability per class. */
  predict(
    features: number[],
    requestId?: string,
    options: { model?: string; probabilities?: boolean } = {},
  ): Promise<PredictionResponse> {
    const metadata = requestId === undefined ? undefined : { request_id: requestId };
    const body = { features, metadata };
    const query = options.probabilities ? { probabilities: true } : undefined;
    if (options.model !== undefined) {
      return this.result(
        predictWithModel({ client: this.client, path: { model_name: options.model }, body, query }),
      );
    }
    return this.result(predict({ client: this.client, body, query }));
  }

  /** Up to 100 predictions from the default model, in request order. */
  batchPredict(rows: number[][]): Promise<BatchPredictionResponse> {
    const requests = rows.map((features) => ({ features }));
    return this.result(batchPredict({ client: this.client, body: { requests } }));
  }

  /** The service's health; an unhealthy service (503) answers with its Health too. */
  async health(): Promise<Health> {
    const outcome = await healthCheck({ client: this.client });
    if (outcome.response?.status === 503 && outcome.error && !isProblem(outcome.error)) {
      return outcome.error as Health;
    }
    return this.result(Promise.resolve(outcome));
  }

  /** The models the service holds. */
  models(): Promise<ModelList> {
    return this.result(listModels({ client: this.client }));
  }

  /** One model's metadata. */
  model(name: string): Promise<ModelMetadata> {
    return this.result(getModel({ client: this.client, path: { model_name: name } }));
  }

  /** A short-lived bearer token for this client's API key (`scope`: a subset). */
  issueToken(scope?: string): Promise<TokenResponse> {
    return this.result(
      issueToken({ client: this.client, body: { grant_type: 'client_credentials', scope } }),
    );
  }

  private async result<T>(call: Promise<Outcome<T>>): Promise<T> {
    const outcome = await call;
    if (outcome.response === undefined) {
      throw outcome.error instanceof Error
        ? outcome.error
        : new ApiConnectionError(String(outcome.error));
    }
    if (outcome.response.ok && outcome.data !== undefined) return outcome.data;
    throw errorFor(outcome.response, outcome.error);
  }
}
