/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Field names whose values are secrets whatever they look like: credentials, tokens,
 * passwords, private keys, site keys, Authorization and Cookie headers.
 */
const SECRET_KEY = /^(authorization|proxy-authorization|cookie|set-cookie|password|passwd|pass|secret|token|key|privatekey|private_key|sitekey|site_key|apikey|api_key|credential|signature)$|password|secret|token|privatekey|private_key|sitekey|site_key/i;

/** References to a secret rather than the secret itself (`tokenId`, `credential_id`, `keyCount`, `revokedAt`). */
const REFERENCE_KEY = /(Id|_id|Ids|_ids|Count|_count|At|_at)$/;

/** Secrets recognisable inside free text (error messages, URLs, stack traces). */
const SECRET_TEXT: readonly [RegExp, string][] = [
  // API credentials and enrollment tokens: prefix, id, secret.
  [/\b(srk|set)_[A-Za-z0-9_-]{8,}/g, `$1_${REDACTED}`],
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, `[PRIVATE KEY ${REDACTED}]`],
  // userinfo of a URL: postgres://user:password@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`],
];

/** `text` with every recognisable secret replaced. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A copy of `value` safe to log: values under secret-looking keys become {@link REDACTED},
 * strings anywhere are scrubbed with {@link redactText}, Errors become their scrubbed stack.
 * Depth and cycles are bounded, so logging a hostile object cannot hang the process.
 */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactText(value.stack ?? `${value.name}: ${value.message}`);
  if (depth > 8 || seen.has(value)) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && !REFERENCE_KEY.test(key) && item !== null && item !== undefined && item !== '' ? REDACTED : redact(item, depth + 1, seen);
  }
  return out;
}
