import { type Request } from 'express';
import { ApiError } from './api-error';

/** Largest page any list route serves. */
export const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

/** A query parameter given at most once. */
export function single(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ApiError(400, 'API.INVALID_QUERY', `query parameter "${name}" must be given once`);
  return value;
}

/** `limit`, 1 to {@link MAX_PAGE}, default 100. */
export function pageLimit(req: Request): number {
  const raw = single(req, 'limit');
  if (raw === undefined) return DEFAULT_PAGE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new ApiError(400, 'API.INVALID_QUERY', `limit must be a whole number from 1 to ${MAX_PAGE}`);
  }
  return limit;
}

/** A path parameter as one string ('' when absent, which no id matches). */
export function pathParam(req: Request, name: string): string {
  const value: unknown = (req.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}
