/**
 * The single error handler: every failure leaves as application/problem+json.
 * Known client errors keep their 4xx; PostgreSQL constraint errors map to
 * 409/422; anything else is a 500 whose internals stay in the log.
 */
import { ErrorCodes, ErrorTitles, type ErrorCode, type FieldError, type Problem } from '@pillar/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

export function problem(code: ErrorCode, detail?: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `https://pillar.dev/problems/${code.replaceAll('_', '-')}`,
    title: ErrorTitles[code],
    status: ErrorCodes[code],
    ...(detail ? { detail } : {}),
    code,
    ...extra,
  };
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_INVALID_URL: 'bad_request',
  FST_ERR_BAD_URL: 'bad_request',
  FST_ERR_ASYNC_CONSTRAINT: 'bad_request',
};

function fromPg(err: PgError): Problem | null {
  switch (err.code) {
    case '23505':
      return problem('conflict', 'A record with these values already exists');
    case '23503':
      return problem('reference_not_found', 'A referenced record does not exist');
    case '23514':
    case '22001':
    case '22003':
    case '22007':
    case '22008':
    case '22P02':
    case '22023':
    case '2201B':
      return problem('unprocessable', 'A value is out of range or malformed');
    case '40001':
    case '40P01':
      return problem('conflict', 'The record was changed concurrently; try again');
    case '57014':
      return problem('unavailable', 'The request took too long');
    default:
      return null;
  }
}

function toProblem(err: FastifyError & PgError, req: FastifyRequest): Problem {
  if (err instanceof AppError) {
    return problem(err.code, err.message, {
      ...(err.errors ? { errors: err.errors } : {}),
      ...(err.details ?? {}),
    });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors: FieldError[] = err.validation.map((v) => ({
      path: [err.validationContext, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'invalid',
    }));
    return problem('validation_failed', `The ${err.validationContext ?? 'request'} is invalid`, { errors });
  }
  if (isResponseSerializationError(err)) {
    req.log.error({ err, route: req.routeOptions.url }, 'response did not match its schema');
    return problem('internal');
  }
  const mapped = err.code ? fastifyCodes[err.code] : undefined;
  if (mapped) return problem(mapped, err.message);
  const pg = fromPg(err);
  if (pg) return pg;
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    const code = (Object.keys(ErrorCodes) as ErrorCode[]).find((c) => ErrorCodes[c] === err.statusCode);
    return problem(code ?? 'bad_request', err.message);
  }
  req.log.error({ err }, 'unhandled error');
  return problem('internal');
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.status(body.status).type('application/problem+json').send(body);
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & PgError, req, reply) => {
    const body = { ...toProblem(err, req), request_id: req.id };
    if (err instanceof AppError && err.headers) void reply.headers(err.headers);
    return sendProblem(reply, body);
  });
}
