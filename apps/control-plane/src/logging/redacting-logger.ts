import { redact, redactText } from './redact';

/**
 * A logger that writes one JSON line per event through `write`, with every secret removed
 * first (see `redact`): no token, password, private key, site key or Authorization header
 * reaches the log, whichever code path logged it.
 */
export function createRedactingLogger(
  write: (line: string) => void,
  now: () => Date = () => new Date(),
): (event: string, fields: Record<string, unknown>) => void {
  return (event, fields) => {
    const safe = redact(fields) as Record<string, unknown>;
    write(`${JSON.stringify({ time: now().toISOString(), event: redactText(event), ...safe })}\n`);
  };
}
