/** A value to write: text (UTF-8) or raw bytes. */
export type LdifValue = string | Uint8Array;

/** One attribute of a record: name and value; repeat the name for multi-valued attributes. */
export type LdifAttribute = readonly [name: string, value: LdifValue];

/** RFC 2849 lines are folded at this width; continuation lines start with one space. */
const LINE_WIDTH = 76;

const SPACE = 0x20;
const COLON = 0x3a;
const LESS_THAN = 0x3c;

/**
 * RFC 2849 SAFE-STRING: ASCII without NUL, CR, LF, not starting with space, colon or '<'.
 * A trailing space is safe by the grammar but lost by many tools, so it is base64 too.
 */
function isSafe(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0 || c === 0x0a || c === 0x0d || c > 0x7f) return false;
    if (i === 0 && (c === SPACE || c === COLON || c === LESS_THAN)) return false;
  }
  return !value.endsWith(' ');
}

function fold(line: string): string {
  if (line.length <= LINE_WIDTH) return line;
  const parts = [line.slice(0, LINE_WIDTH)];
  for (let i = LINE_WIDTH; i < line.length; i += LINE_WIDTH - 1) parts.push(` ${line.slice(i, i + LINE_WIDTH - 1)}`);
  return parts.join('\n');
}

/**
 * One `name: value` line (folded), as `name:: base64` when the value is bytes, non-ASCII or
 * otherwise unsafe. Only ASCII lines are folded as text, so no UTF-8 sequence is ever split.
 */
export function ldifLine(name: string, value: LdifValue): string {
  if (typeof value === 'string' && isSafe(value)) return fold(`${name}: ${value}`);
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return fold(`${name}:: ${bytes.toString('base64')}`);
}

/** A content record (an add for ldapadd), ending with the blank line that separates records. */
export function ldifAddRecord(dn: string, attributes: readonly LdifAttribute[]): string {
  return [ldifLine('dn', dn), ...attributes.map(([name, value]) => ldifLine(name, value))].join('\n') + '\n\n';
}

/** One modification of a `changetype: modify` record. */
export interface LdifModification {
  readonly op: 'add' | 'replace' | 'delete';
  readonly attribute: string;
  readonly values: readonly LdifValue[];
}

/** A `changetype: modify` record. */
export function ldifModifyRecord(dn: string, modifications: readonly LdifModification[]): string {
  const lines = [ldifLine('dn', dn), 'changetype: modify'];
  for (const { op, attribute, values } of modifications) {
    lines.push(`${op}: ${attribute}`, ...values.map((value) => ldifLine(attribute, value)), '-');
  }
  return lines.join('\n') + '\n\n';
}

/** Escapes one RDN value for a DN string (RFC 4514 section 2.4). */
export function escapeRdnValue(value: string): string {
  let escaped = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  if (escaped.startsWith('#') || escaped.startsWith(' ')) escaped = `\\${escaped}`;
  if (escaped.endsWith(' ')) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}
