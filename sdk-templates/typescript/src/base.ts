// hand-written: `make generate` copies this file into generated/typescript-client/src/
// The base of the high-level client. `SpecserveClient` (specserve.ts, written from the
// spec by scripts/typescript_client.py) has one method per operation, each a thin call of
// the generated function through `send`, which adds the retries (`retry.ts`), timeouts,
// per-call options, the typed errors (`errors.ts`) and the deprecation warnings
// (`deprecation.ts`).
import { createClient, createConfig, type Client } from './gen/client/index.js';
import { warnIfDeprecated } from './deprecation.js';
import { APIConnectionError, APIError, errorFor } from './errors.js';
import { OPERATIONS, type OperationId } from './operations.gen.js';
import { DEFAULT_RETRY, retryingFetch, type RetryOptions } from './retry.js';
import { checkLogLevel, loggerFor, type LogLevel, type Logger } from './log.js';

export const ENV_BASE_URL = 'SPECSERVE_BASE_URL';
export const ENV_API_KEY = 'SPECSERVE_API_KEY';
export const ENV_LOG = 'SPECSERVE_LOG';
export const DEFAULT_BASE_URL = 'http://127.0.0.1:8000/v1';

export interface SpecserveClientOptions {
  /** Default `$SPECSERVE_BASE_URL`, else `http://127.0.0.1:8000/v1`. */
  baseUrl?: string;
  /** Sent as `X-API-Key`; default `$SPECSERVE_API_KEY` unless `token` is given. */
  apiKey?: string;
  /** Sent as `Authorization: Bearer`. */
  token?: string;
  /** Per attempt, in ms (default 30000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3); shorthand for `retry.maxRetries`. */
  maxRetries?: number;
  retry?: RetryOptions;
  headers?: Record<string, string>;
  /** The fetch implementation (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** `'debug'` or `'info'` logs each request, retry and wait; default `$SPECSERVE_LOG`, else `'off'`. */
  logLevel?: LogLevel;
  /** Where the log lines go (default: `console.error`). */
  logger?: Logger;
}

/** Options for one call. */
export interface RequestOptions {
  timeoutMs?: number;
  maxRetries?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** `T` with the properties `K` optional: the spec gives them defaults, which the client sends. */
export type WithDefaults<T, K extends keyof T> = { [P in keyof T as P extends K ? never : P]: T[P] } & {
  [P in K]?: T[P];
};

/** The query parameters among a method's options (those given), as the generated function takes them. */
export function queryOf<T extends object, K extends keyof T>(options: T | undefined, names: readonly K[]): { query?: Pick<T, K> } {
  const given = names.filter((name) => options?.[name] !== undefined);
  if (options === undefined || given.length === 0) return {};
  return { query: Object.fromEntries(given.map((name) => [name, options[name]])) as Pick<T, K> };
}

/** A result with the response it came from (status, headers: the rate-limit headers, ...). */
export interface WithResponse<T> {
  data: T;
  response: Response;
}

/** What every method returns: the typed result, and `.withResponse()` for the response too. */
export type APIPromise<T> = Promise<T> & { withResponse(): Promise<WithResponse<T>> };

type Outcome = { data?: unknown; error?: unknown; response?: Response };
export type Call = (options: {
  client: Client;
  fetch: typeof fetch;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}) => Promise<Outcome>;

function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.[name] || undefined;
}

function apiPromise<T>(raw: Promise<WithResponse<T>>): APIPromise<T> {
  const data = raw.then((result) => result.data);
  data.catch(() => undefined); // a caller using only withResponse() sees the error there
  return Object.assign(data, { withResponse: () => raw });
}

/** What every generated client shares: credentials, defaults, `withOptions`, `send`. */
export class SpecserveBase {
  /** The generated client, for the per-operation functions (`api.*`). */
  readonly client: Client;
  readonly baseUrl: string;
  private readonly options: SpecserveClientOptions;
  private readonly policy: Required<RetryOptions>;

  constructor(options: SpecserveClientOptions = {}) {
    if (options.apiKey && options.token) throw new TypeError('pass apiKey or token, not both');
    const apiKey = options.apiKey || (options.token ? undefined : env(ENV_API_KEY));
    const { token } = options;
    if (!apiKey && !token) {
      throw new TypeError(
        `specserve: no API key: pass new SpecserveClient({ apiKey }) or set ${ENV_API_KEY} (or pass a bearer token)`,
      );
    }
    checkLogLevel(options.logLevel);
    this.options = { ...options, apiKey };
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    if (options.maxRetries !== undefined) this.policy.maxRetries = options.maxRetries;
    this.baseUrl = (options.baseUrl ?? env(ENV_BASE_URL) ?? DEFAULT_BASE_URL).replace(/\/$/, '');
    this.client = createClient(
      createConfig({
        baseUrl: this.baseUrl,
        headers: options.headers,
        fetch: this.fetchFor(true, {}),
        auth: (auth) => (auth.type === 'apiKey' ? apiKey : auth.scheme === 'bearer' ? token : undefined),
      }),
    );
  }

  /** A client with other defaults (timeout, retries, headers, credentials). */
  withOptions(options: SpecserveClientOptions): this {
    const headers = { ...this.options.headers, ...options.headers };
    const retry = { ...this.options.retry, ...options.retry };
    const Class = this.constructor as new (options: SpecserveClientOptions) => this;
    return new Class({ ...this.options, ...options, headers, retry });
  }

  private fetchFor(idempotent: boolean, options: RequestOptions, results: number[] = []): typeof fetch {
    const policy = { ...this.policy };
    if (options.maxRetries !== undefined) policy.maxRetries = options.maxRetries;
    const timeout = options.timeoutMs ?? this.options.timeoutMs ?? 30000;
    const { logLevel, logger } = this.options;
    const log = logLevel !== undefined ? loggerFor(logLevel, logger) : loggerFor(env(ENV_LOG), logger, true);
    return retryingFetch(policy, timeout, idempotent, this.options.fetch, results, log);
  }

  /** Call one operation; `alsoOk`: error statuses the spec answers with the success schema. */
  protected send<T>(op: OperationId, call: Call, options: RequestOptions = {}, alsoOk: readonly number[] = []): APIPromise<T> {
    const fetch = this.fetchFor(OPERATIONS[op].idempotent, options, [...alsoOk]);
    const { headers, signal } = options;
    return apiPromise(
      call({ client: this.client, fetch, headers, signal }).then((outcome) => {
        const { response } = outcome;
        if (response === undefined) {
          throw outcome.error instanceof APIError
            ? outcome.error
            : new APIConnectionError(String(outcome.error), { cause: outcome.error });
        }
        warnIfDeprecated(op, response);
        if (response.ok) return { data: outcome.data as T, response };
        const body = outcome.error;
        if (alsoOk.includes(response.status) && typeof body === 'object' && body !== null && !('error' in body)) {
          return { data: body as T, response };
        }
        throw errorFor(response, body);
      }),
    );
  }
}
