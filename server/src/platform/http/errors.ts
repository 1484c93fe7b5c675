// Errors that services raise. They name what went wrong in domain terms (a kind and a stable code);
// the HTTP layer alone turns a kind into a status, so services know no HTTP.

export type ErrorKind =
  | 'invalid' // 400: the request itself is wrong
  | 'unauthenticated' // 401: no valid credentials
  | 'forbidden' // 403: valid credentials, not allowed
  | 'not_found' // 404
  | 'conflict' // 409: the state does not allow it
  | 'gone' // 410: it existed, but no longer can be used
  | 'too_large' // 413
  | 'unsupported' // 415
  | 'rate_limited' // 429
  | 'unavailable'; // 503

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** stable, machine-readable, snake_case: clients switch on it */
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const statusOfKind: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported: 415,
  rate_limited: 429,
  unavailable: 503,
};

export class RateLimitedError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many attempts. Please wait and try again.',
  ) {
    super('rate_limited', 'rate_limited', message, { retryAfterSeconds });
  }
}
