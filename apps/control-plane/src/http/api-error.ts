import { isStoreError } from '@syncready/store';
import { type ErrorRequestHandler } from 'express';

/** An error an API caller can act on; mapped to an HTTP status once, in {@link errorHandler}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The one place errors become HTTP responses: `{ error: { code, message } }`. Unknown errors
 * are logged and answered with 500 without their details.
 */
export function errorHandler(log: (event: string, fields: Record<string, unknown>) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof ApiError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message } });
      return;
    }
    // Store errors a caller caused (a forged cursor, an id that does not exist).
    if (isStoreError(err, 'STORE.INVALID_ARGUMENT') || isStoreError(err, 'STORE.NOT_FOUND')) {
      const status = err.code === 'STORE.NOT_FOUND' ? 404 : 400;
      res.status(status).json({ error: { code: status === 404 ? 'API.NOT_FOUND' : 'API.INVALID_QUERY', message: err.message } });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    // body-parser's errors carry a status and a type (entity.too.large, entity.parse.failed).
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: { code: `API.${String(e.type ?? 'BAD_REQUEST').toUpperCase().replace(/\./g, '_')}`, message: e.message ?? 'bad request' } });
      return;
    }
    log('api.error', { error: err instanceof Error ? err.stack : String(err) });
    res.status(500).json({ error: { code: 'API.INTERNAL', message: 'internal error' } });
  };
}
