/**
 * Error answers in the app's shape, `{ error: { code, message } }`, for plugins that answer
 * themselves (webhook routes decide their own 4xx before any body parsing).
 */
import type { FastifyReply } from 'fastify';
import type { ErrorCode } from '../errors.ts';

const ERROR_CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'LAPOR_ERR_BAD_REQUEST',
  401: 'LAPOR_ERR_UNAUTHORIZED',
  403: 'LAPOR_ERR_FORBIDDEN',
  404: 'LAPOR_ERR_NOT_FOUND',
};

export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .code(status)
    .send({ error: { code: ERROR_CODE_BY_STATUS[status] ?? 'LAPOR_ERR_INTERNAL', message } });
}
