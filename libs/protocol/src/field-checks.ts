import { ProtocolError, type ProtocolErrorCode } from './protocol-error';

/*
 * Field checks shared by both directions: what the encoder refuses to send (a local bug,
 * PROTOCOL.INVALID_MESSAGE) is exactly what the decoder refuses to accept (a peer's bug or an
 * attack, PROTOCOL.MALFORMED_FRAME). Failure details name the field, never its value, because
 * some values are secrets (the site key).
 */

/** Throws the error of one direction; returns `never` so checks read as expressions. */
export type Fail = (detail: string) => never;

/** A {@link Fail} that throws a {@link ProtocolError} with `code`. */
export function failWith(code: ProtocolErrorCode): Fail {
  return (detail) => {
    throw new ProtocolError(code, detail);
  };
}

/** Largest value of a proto `uint32`. */
export const MAX_UINT32 = 0xffff_ffff;

/**
 * The shape of protobuf.js' `Long` as far as this library needs it. The generated decoder
 * returns `Long` for 64-bit fields whenever the `long` package is loaded, whatever the
 * code-generation flags say, so every 64-bit value read from the wire passes through
 * {@link wireUint64}.
 */
export interface LongLike {
  readonly low: number;
  readonly high: number;
}

/**
 * A uint64 read from the wire as a number, failing when it does not fit a safe integer:
 * rounding a USN or a sequence number silently would corrupt resume and deltas.
 */
export function wireUint64(value: number | LongLike | null | undefined, field: string, fail: Fail): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return checkUint(value, field, fail);
  // high * 2^32 + low is exact below 2^53 and lands at or above 2^53 otherwise.
  const n = (value.high >>> 0) * 0x1_0000_0000 + (value.low >>> 0);
  if (!Number.isSafeInteger(n)) fail(`${field} is above 2^53 - 1`);
  return n;
}

/** A non-negative safe integer in `[min, max]`. */
export function checkUint(
  value: unknown,
  field: string,
  fail: Fail,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(`${field} must be an integer`);
  if (value < min || value > max) fail(`${field} must be between ${min} and ${max}`);
  return value;
}

/** True when `value` has no unpaired UTF-16 surrogate (String.prototype.isWellFormed, Node 20+). */
function wellFormed(value: string): boolean {
  return (value as string & { isWellFormed(): boolean }).isWellFormed();
}

/**
 * A string; `required` strings must not be empty. Unpaired UTF-16 surrogates are refused:
 * protobuf.js would encode them as invalid UTF-8 that every decoder rejects, so a bad value
 * would otherwise break the session at the receiving end, again on every retry.
 */
export function checkText(value: unknown, field: string, fail: Fail, required: boolean): string {
  if (typeof value !== 'string') fail(`${field} must be a string`);
  if (required && value.length === 0) fail(`${field} is required`);
  if (!wellFormed(value)) fail(`${field} contains an unpaired UTF-16 surrogate`);
  return value;
}

/**
 * The fast path of `checkTextList(value, …, false)` with at least one item: true when it
 * would pass. Lets hot loops skip building field names for values that are fine.
 */
export function isCleanTextList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string' || !wellFormed(item)) return false;
  }
  return true;
}

/** An array of strings; `nonEmptyItems` refuses empty strings inside it. */
export function checkTextList(
  value: unknown,
  field: string,
  fail: Fail,
  nonEmptyItems: boolean,
): readonly string[] {
  if (!Array.isArray(value)) fail(`${field} must be an array`);
  value.forEach((item: unknown, i) => checkText(item, `${field}[${i}]`, fail, nonEmptyItems));
  return value as readonly string[];
}
