import { type RawValue } from './raw-object-decoder';

/** One LDIF content or change record. */
export interface LdifRecord {
  readonly dn: string;
  /** `changetype:` when present (`add` in ldifde exports); undefined for content records. */
  readonly changeType: string | undefined;
  /** Attributes in file order; names as written. Base64 (`::`) values stay bytes. */
  readonly attributes: ReadonlyMap<string, RawValue[]>;
  /** Line number (1-based) where the record starts. */
  readonly line: number;
}

/** A syntax error in LDIF input, with the line it was found on. */
export class LdifError extends Error {
  readonly code = 'LDIF.MALFORMED';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'LdifError';
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*$|^[0-9]+(\.[0-9]+)*$/;

interface PendingRecord {
  dn: string | undefined;
  changeType: string | undefined;
  attributes: Map<string, RawValue[]>;
  line: number;
}

/**
 * A push parser for LDIF (RFC 2849) as written by `ldifde -f` and `ldapsearch`: line folding
 * (a continuation line starts with one space), `::` base64 values, comments, `version:`, CRLF
 * line ends and `changetype: add` records. Feed it one line at a time, so a 1 GB export never
 * has to be in memory at once; it keeps only the record being read.
 */
export class LdifParser {
  private record: PendingRecord | undefined;
  private logical: { text: string; line: number } | undefined;
  private lastLine = 0;
  private inComment = false;

  /** Adds one physical line (without its newline); returns a record when one is complete. */
  pushLine(rawLine: string, lineNumber: number): LdifRecord | undefined {
    this.lastLine = lineNumber;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.startsWith(' ')) {
      if (this.inComment) return undefined;
      if (!this.logical) throw new LdifError(lineNumber, 'a continuation line (starting with a space) has nothing to continue');
      this.logical.text += line.slice(1);
      return undefined;
    }
    this.flushLogical();
    this.inComment = line.startsWith('#');
    if (this.inComment) return undefined;
    if (line === '') return this.finishRecord();
    this.logical = { text: line, line: lineNumber };
    return undefined;
  }

  /** Call at end of input; returns the last record, or throws if the input ends mid-record. */
  end(): LdifRecord | undefined {
    this.flushLogical();
    return this.finishRecord();
  }

  private flushLogical(): void {
    if (!this.logical) return;
    const { text, line } = this.logical;
    this.logical = undefined;
    // "-" separates modifications inside a changetype: modify record; there is nothing to keep.
    if (text === '-') return;
    const colon = text.indexOf(':');
    if (colon <= 0) throw new LdifError(line, `expected "attribute: value", got ${JSON.stringify(text.slice(0, 60))}`);
    const name = text.slice(0, colon);
    if (!ATTRIBUTE_NAME.test(name)) throw new LdifError(line, `invalid attribute name ${JSON.stringify(name.slice(0, 60))}`);
    let value: RawValue;
    const rest = text.slice(colon + 1);
    if (rest.startsWith(':')) {
      const encoded = rest.slice(1).trim();
      if (!BASE64.test(encoded) || encoded.length % 4 === 1) throw new LdifError(line, `the base64 value of ${name} is not valid base64`);
      value = Uint8Array.from(Buffer.from(encoded, 'base64'));
    } else if (rest.startsWith('<')) {
      throw new LdifError(line, `${name} refers to a URL (":<"), which is not supported: export the value inline`);
    } else {
      value = rest.startsWith(' ') ? rest.replace(/^ +/, '') : rest;
    }
    this.addLine(name, value, line);
  }

  private addLine(name: string, value: RawValue, line: number): void {
    const lower = name.toLowerCase();
    if (!this.record) {
      if (lower === 'version') return;
      if (lower !== 'dn') throw new LdifError(line, `a record must start with "dn:", got "${name}:"`);
      const dn = typeof value === 'string' ? value : new TextDecoder('utf-8').decode(value);
      this.record = { dn, changeType: undefined, attributes: new Map(), line };
      return;
    }
    if (lower === 'dn') throw new LdifError(line, 'a second "dn:" inside one record: separate records with an empty line');
    if (lower === 'changetype') {
      this.record.changeType = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      return;
    }
    const values = this.record.attributes.get(name);
    if (values) values.push(value);
    else this.record.attributes.set(name, [value]);
  }

  private finishRecord(): LdifRecord | undefined {
    const record = this.record;
    this.record = undefined;
    if (!record) return undefined;
    if (record.dn === undefined) throw new LdifError(this.lastLine, 'record without a dn');
    return { dn: record.dn, changeType: record.changeType, attributes: record.attributes, line: record.line };
  }
}

/** Parses a whole LDIF text (for small inputs and tests; stream big files line by line). */
export function parseLdif(text: string): LdifRecord[] {
  const parser = new LdifParser();
  const records: LdifRecord[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    const record = parser.pushLine(line, i + 1);
    if (record) records.push(record);
  });
  const last = parser.end();
  if (last) records.push(last);
  return records;
}
