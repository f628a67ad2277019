/** Stable error codes: the `code` member of every problem+json answer. */
export const ErrorCodes = {
  validation_failed: 400,
  bad_request: 400,
  invalid_cursor: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  token_expired: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  duplicate: 409,
  idempotency_in_progress: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  idempotency_mismatch: 422,
  reference_not_found: 422,
  precondition_required: 428,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export const ErrorTitles: Record<ErrorCode, string> = {
  validation_failed: 'Validation failed',
  bad_request: 'Bad request',
  invalid_cursor: 'Invalid cursor',
  unauthenticated: 'Authentication required',
  invalid_credentials: 'Invalid credentials',
  token_expired: 'Token expired',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  duplicate: 'Duplicate record',
  idempotency_in_progress: 'A request with this Idempotency-Key is in progress',
  precondition_failed: 'Precondition failed',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  unprocessable: 'Unprocessable request',
  idempotency_mismatch: 'Idempotency-Key reused with a different request',
  reference_not_found: 'Referenced record not found',
  precondition_required: 'Precondition required',
  rate_limited: 'Too many requests',
  internal: 'Internal server error',
  unavailable: 'Service unavailable',
};

/** One invalid field in a validation problem. `path` is a JSON pointer-ish dotted path. */
export interface FieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem details as Pillar renders them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ErrorCode;
  instance?: string;
  request_id?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}
