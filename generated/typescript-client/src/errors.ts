// hand-written: copied from sdk-templates/typescript/src/errors.ts by `make generate`; edit it there, not here
// The exception tree, with openai's names (the same as the Python SDK's):
//   APIError
//   ├── APIConnectionError        the service could not be reached, or the connection broke
//   │   └── APITimeoutError       no answer within the timeout
//   └── APIStatusError            an error status, from the service or a proxy in front of it
//       ├── BadRequestError 400, AuthenticationError 401, PermissionDeniedError 403,
//       │   NotFoundError 404, RequestTimeoutError 408, ConflictError 409,
//       │   PayloadTooLargeError 413, UnsupportedMediaTypeError 415,
//       │   UnprocessableEntityError 422, RateLimitError 429, HeadersTooLargeError 431
//       └── InternalServerError >= 500: BadGatewayError 502, ServiceUnavailableError 503,
//           GatewayTimeoutError 504
import { retryAfterMs } from './retry.js';
import type { Error as Problem, FieldError } from './gen/types.gen.js';

export type { Problem };

/** Every error the client throws. */
export class APIError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The service could not be reached, or the connection broke (after the retries). */
export class APIConnectionError extends APIError {
  constructor(message = 'Connection error.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** No answer within the timeout (after the retries). */
export class APITimeoutError extends APIConnectionError {
  constructor(message = 'Request timed out.', options?: { cause?: unknown }) {
    super(message, options);
  }
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'error' in body && 'status' in body;
}

function summary(body: unknown, response: Response): string {
  const text = typeof body === 'string' ? body.replace(/\s+/g, ' ').trim().slice(0, 300) : '';
  return text || response.statusText || `HTTP ${response.status}`;
}

/**
 * An error status. `code` is the problem's stable `error` code (`http_<status>` when the body
 * is not a problem document, e.g. a proxy's HTML page); `body` the decoded body (JSON, text or
 * undefined); `problem` the spec's `Error` document when the body is one.
 */
export class APIStatusError extends APIError {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly problem: Problem | undefined;
  readonly body: unknown;
  readonly headers: Headers;
  readonly response: Response;

  constructor(response: Response, body: unknown) {
    const problem = isProblem(body) ? body : undefined;
    const code = problem?.error ?? `http_${response.status}`;
    const requestId = problem?.request_id ?? response.headers.get('x-request-id') ?? undefined;
    const message = problem?.message ?? summary(body, response);
    super(`${response.status} ${code}: ${message} (request id ${requestId})`);
    this.status = response.status;
    this.code = code;
    this.requestId = requestId;
    this.problem = problem;
    this.body = body;
    this.headers = response.headers;
    this.response = response;
  }

  /** For validation failures: one `{path, message}` per offending field. */
  get errors(): FieldError[] {
    return this.problem?.errors ?? [];
  }
}

export class BadRequestError extends APIStatusError {}
export class AuthenticationError extends APIStatusError {}
export class PermissionDeniedError extends APIStatusError {}
export class NotFoundError extends APIStatusError {}
export class RequestTimeoutError extends APIStatusError {}
export class ConflictError extends APIStatusError {}
export class PayloadTooLargeError extends APIStatusError {}
export class UnsupportedMediaTypeError extends APIStatusError {}
export class UnprocessableEntityError extends APIStatusError {}
export class RateLimitError extends APIStatusError {
  /** The wait the service asked for, in ms (`Retry-After`, else the `RateLimit` reset). */
  get retryAfterMs(): number | undefined {
    return retryAfterMs(this.headers);
  }
}
export class HeadersTooLargeError extends APIStatusError {}
export class InternalServerError extends APIStatusError {}
export class BadGatewayError extends InternalServerError {}
export class ServiceUnavailableError extends InternalServerError {}
export class GatewayTimeoutError extends InternalServerError {}

/** @deprecated use APIStatusError */
export const ApiError = APIStatusError;
/** @deprecated use APIStatusError */
export type ApiError = APIStatusError;
/** @deprecated use APIConnectionError */
export const ApiConnectionError = APIConnectionError;
/** @deprecated use APIConnectionError */
export type ApiConnectionError = APIConnectionError;
/** @deprecated use UnprocessableEntityError */
export const UnprocessableError = UnprocessableEntityError;
/** @deprecated use UnprocessableEntityError */
export type UnprocessableError = UnprocessableEntityError;

const STATUS_ERRORS: Record<number, typeof APIStatusError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  408: RequestTimeoutError,
  409: ConflictError,
  413: PayloadTooLargeError,
  415: UnsupportedMediaTypeError,
  422: UnprocessableEntityError,
  429: RateLimitError,
  431: HeadersTooLargeError,
  500: InternalServerError,
  502: BadGatewayError,
  503: ServiceUnavailableError,
  504: GatewayTimeoutError,
};

/** The class for `status`: its own, InternalServerError for any other 5xx, else APIStatusError. */
export function errorClass(status: number): typeof APIStatusError {
  return STATUS_ERRORS[status] ?? (status >= 500 ? InternalServerError : APIStatusError);
}

/** The APIStatusError subclass for a response, whatever its body (JSON, HTML, empty). */
export function errorFor(response: Response, body: unknown): APIStatusError {
  const Class = errorClass(response.status);
  return new Class(response, body);
}
