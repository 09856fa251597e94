// hand-written: `make generate` copies this file into generated/typescript-client/src/
// Bounded retries with exponential backoff, jitter and the service's Retry-After, as a fetch.
import { APIConnectionError, APITimeoutError } from './errors.js';
import type { Log } from './log.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** First backoff in ms, doubled per retry (default 500). */
  backoffMs?: number;
  /** Cap of one backoff in ms (default 8000). */
  maxBackoffMs?: number;
  /** Fraction of a backoff removed at random (default 0.5). */
  jitter?: number;
  /** A longer Retry-After is not waited for: the error is thrown (default 60000). */
  maxRetryAfterMs?: number;
  /** Statuses retried (default 408, 409, 429, 500, 502, 503, 504). */
  statuses?: number[];
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxRetries: 3,
  backoffMs: 500,
  maxBackoffMs: 8000,
  jitter: 0.5,
  maxRetryAfterMs: 60000,
  statuses: [408, 409, 429, 500, 502, 503, 504],
};

/** Statuses that say the request was not processed: safe to retry for any operation. */
const NOT_PROCESSED = new Set([408, 409, 429]);
/** Error codes no retry can mend: the request costs more than the key's whole rate limit, or
 * the key's quota is used up until its period ends (hours or days: thrown at once, with
 * `Retry-After` and `X-Quota-Reset` on the error's headers). A 429 without `Retry-After` whose
 * code says it can never fit (`*_exceeds_limit`, `never_admitted`, ...) is not retried either. */
const NEVER_ADMITTED = new Set(['cost_exceeds_limit', 'quota_exceeded']);
const NEVER_FITS = /exceeds_limit|never/;

/** Whether a 429 with this error code and `Retry-After` can never be admitted by waiting. */
export function neverAdmitted(code: string | undefined, retryAfter: string | null): boolean {
  if (code === undefined) return false;
  return NEVER_ADMITTED.has(code) || (retryAfter === null && NEVER_FITS.test(code));
}
/** Connection failures before the request left: safe to retry for any operation. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** Milliseconds from a `Retry-After` header (seconds or an HTTP date). */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const when = Date.parse(value);
  return Number.isNaN(when) ? undefined : Math.max(0, when - Date.now());
}

/** The wait a response asks for, in ms: `Retry-After`, else the `RateLimit` reset (`t=`),
 * else `X-RateLimit-Reset` (epoch seconds); undefined when it names none. */
export function retryAfterMs(headers: Headers): number | undefined {
  const retryAfter = parseRetryAfter(headers.get('retry-after'));
  if (retryAfter !== undefined) return retryAfter;
  const reset = /(?:^|;)\s*t=(\d+(?:\.\d+)?)/.exec(headers.get('ratelimit') ?? '');
  if (reset) return Number(reset[1]) * 1000;
  const epoch = Number(headers.get('x-ratelimit-reset') ?? Number.NaN);
  return Number.isFinite(epoch) ? Math.max(0, epoch * 1000 - Date.now()) : undefined;
}

/** The wait before retry `attempt` (0-based), or undefined to give up. */
export function retryDelay(
  policy: Required<RetryOptions>,
  attempt: number,
  retryAfter: number | undefined,
): number | undefined {
  if (attempt >= policy.maxRetries) return undefined;
  if (retryAfter !== undefined) {
    if (retryAfter > policy.maxRetryAfterMs) return undefined;
    return retryAfter + Math.random() * policy.jitter * policy.backoffMs;
  }
  const delay = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** attempt);
  return delay * (1 - Math.random() * policy.jitter);
}

/** The problem document's `error` code, read from a copy of the body (the original stays
 * unread for the caller). */
async function errorCode(response: Response): Promise<string | undefined> {
  try {
    const body: unknown = await response.clone().json();
    const code = (body as { error?: unknown } | null)?.error;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * A fetch that times out each attempt after `timeoutMs` and retries: connection failures
 * before the request left, and 408/409/429 (never a 429 `cost_exceeds_limit`: no wait admits
 * it, nor `quota_exceeded`: the wait is the quota's period), for any operation; timeouts, broken connections
 * and 5xx only when `idempotent` (the spec's `x-idempotent`, or GET). A JSON answer with a
 * status in `results` (documented with the result type, e.g. an unhealthy Health) is final.
 */
export function retryingFetch(
  policy: Required<RetryOptions>,
  timeoutMs: number,
  idempotent: boolean,
  base: typeof fetch = globalThis.fetch,
  results: number[] = [],
  log?: Log,
): typeof fetch {
  return async (input, init) => {
    const original = new Request(input, init);
    const what = `${original.method} ${new URL(original.url).pathname}`;
    for (let attempt = 0; ; attempt++) {
      const signal = AbortSignal.any([original.signal, AbortSignal.timeout(timeoutMs)]);
      let response: Response;
      const started = Date.now();
      try {
        response = await base(original.clone(), { signal });
      } catch (cause) {
        log?.(`${what} failed after ${Date.now() - started} ms: ${String(cause)}`);
        const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
        const safe = idempotent || NOT_SENT.has(causeCode(cause) ?? '');
        const wait = original.signal.aborted || !safe ? undefined : retryDelay(policy, attempt, undefined);
        if (wait === undefined) {
          const url = `${original.method} ${original.url}`;
          throw timedOut
            ? new APITimeoutError(`${url} timed out after ${timeoutMs} ms`, { cause })
            : new APIConnectionError(`${url} failed: ${String(cause)}`, { cause });
        }
        log?.(`retrying ${what} (retry ${attempt + 1} of ${policy.maxRetries}): waiting ${seconds(wait)} s`);
        await sleep(wait);
        continue;
      }
      const requestId = response.headers.get('x-request-id') ?? '-';
      log?.(`${what} ${response.status} request_id=${requestId} ${Date.now() - started} ms`);
      const isResult =
        results.includes(response.status) && /json/.test(response.headers.get('content-type') ?? '');
      const retryable =
        !isResult &&
        policy.statuses.includes(response.status) &&
        (idempotent || NOT_PROCESSED.has(response.status)) &&
        !(response.status === 429 && neverAdmitted(await errorCode(response), response.headers.get('retry-after')));
      const wait = retryable ? retryDelay(policy, attempt, retryAfterMs(response.headers)) : undefined;
      if (wait === undefined) return response;
      log?.(`retrying ${what} after ${response.status} (retry ${attempt + 1} of ${policy.maxRetries}): waiting ${seconds(wait)} s`);
      await response.body?.cancel();
      await sleep(wait);
    }
  };
}
