/** Longest lifetime of an enrollment token: a week (long-lived enroll secrets leak). */
export const MAX_TOKEN_LIFETIME_MS = 7 * 24 * 3_600_000;

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `1h`, `7d` → milliseconds; undefined when malformed or out of range. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const ms = Number(match[1]) * (UNITS[match[2]] ?? 0);
  return ms > 0 && ms <= MAX_TOKEN_LIFETIME_MS ? ms : undefined;
}
