/** A field-level problem with input, shown beside the field on forms. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * An error the domain or a service throws on purpose. The one error handler maps it to
 * its HTTP status and a `{ code, message }` body; anything else is a 500.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super(404, 'not_found', message);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, fields: FieldError[] = []) {
    super(400, 'invalid_input', message, fields);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

/** The body of every error answer. */
export interface ErrorBody {
  code: string;
  message: string;
  fields?: FieldError[];
}

/** Maps any thrown error to a status and `{ code, message }` body. Anything unknown is a plain 500. */
export function toErrorResponse(error: Error): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: { code: error.code, message: error.message, ...(error.fields.length ? { fields: error.fields } : {}) },
    };
  }
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own client errors: malformed JSON, a body too large, an unsupported media type…
    const code = (error as { code?: unknown }).code;
    return { status, body: { code: typeof code === 'string' ? code.toLowerCase() : 'bad_request', message: error.message } };
  }
  return { status: 500, body: { code: 'internal', message: 'Something went wrong on our side. Please try again.' } };
}
