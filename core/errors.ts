/**
 * One catalogue of error codes (the Fastify `FST_ERR_*` habit). Every error the product shows to
 * an operator, an API client or a log carries a stable code from here, a message and an HTTP
 * status. docs/errors.md documents each code; a test keeps the two in step.
 */
export const ERROR_CODES = {
  LAPOR_ERR_CONFIG: { status: 500, message: 'Invalid configuration' },
  LAPOR_ERR_DB_UNREACHABLE: { status: 503, message: 'Database unreachable' },
  LAPOR_ERR_DATA_DIR: { status: 500, message: 'Data directory not usable' },
  LAPOR_ERR_MIGRATION: { status: 500, message: 'Migration failed' },
  LAPOR_ERR_BAD_REQUEST: { status: 400, message: 'Malformed request' },
  LAPOR_ERR_UNAUTHORIZED: { status: 401, message: 'Missing or invalid signature or token' },
  LAPOR_ERR_FORBIDDEN: { status: 403, message: 'Not allowed' },
  LAPOR_ERR_NOT_FOUND: { status: 404, message: 'Not found' },
  LAPOR_ERR_ILLEGAL_TRANSITION: {
    status: 409,
    message: "This action is not allowed in the report's current status",
  },
  LAPOR_ERR_REPORT_MOVED: { status: 409, message: 'The report has been forwarded to another agency' },
  LAPOR_ERR_UNKNOWN_AGENCY: { status: 404, message: 'Unknown agency code' },
  LAPOR_ERR_BAD_INPUT_FILE: { status: 400, message: 'Input file is not usable' },
  LAPOR_ERR_REJECTED_PAYLOAD: {
    status: 200,
    message: 'Signed payload of the wrong shape: acknowledged, recorded as rejected',
  },
  LAPOR_ERR_QUARANTINED: {
    status: 500,
    message: 'Inbound message set aside after repeated processing failures',
  },
  LAPOR_ERR_INTERNAL: { status: 500, message: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * An error with a stable code and context, safe to show: `message` never contains secrets.
 *
 * @example
 * ```ts
 * throw new LaporError('LAPOR_ERR_CONFIG', 'DATABASE_URL: unknown scheme "mysql:"', { variable: 'DATABASE_URL' });
 * ```
 */
export class LaporError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly context: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message?: string,
    context: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message ?? ERROR_CODES[code].message, options);
    this.name = 'LaporError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.context = context;
  }
}

export function isLaporError(error: unknown): error is LaporError {
  return error instanceof LaporError;
}
