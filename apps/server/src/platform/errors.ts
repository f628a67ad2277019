import { ErrorCodes, ErrorTitles, type ErrorCode, type FieldError } from '@pillar/shared';

/** The one error type services throw; rendered as RFC 9457 problem+json. */
export class AppError extends Error {
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly code: ErrorCode,
    opts: {
      message?: string;
      details?: Record<string, unknown>;
      errors?: FieldError[];
      headers?: Record<string, string>;
    } = {},
  ) {
    super(opts.message ?? ErrorTitles[code]);
    this.status = ErrorCodes[code];
    this.details = opts.details;
    this.errors = opts.errors;
    this.headers = opts.headers;
  }
}

export const notFound = (entity = 'Record') => new AppError('not_found', { message: `${entity} not found` });

export const referenceNotFound = (field: string) =>
  new AppError('reference_not_found', {
    message: `${field} does not refer to an existing record`,
    errors: [{ path: field, message: 'not found' }],
  });

export const preconditionFailed = (current?: number) =>
  new AppError('precondition_failed', {
    message: 'The record was changed by someone else; reload it and try again',
    ...(current !== undefined ? { details: { current_version: current } } : {}),
  });
