import { createHash } from 'node:crypto';
import {
  DIRECTORY_ATTRIBUTES,
  decodeRawObject,
  guidToBytes,
  isGuid,
  kindOf,
  LdifError,
  LdifParser,
  type DirectoryObject,
  type ForestInfo,
  type LdifRecord,
  type RawValue,
} from '@syncready/directory';
import { InputWarnings } from './input-warnings';
import { LineTooLongError, splitLines } from './line-splitter';
import { readLdifForestFacts } from './ldif-forest-facts';
import { type ScanSource } from './scan-source';

const TEXT_ATTRIBUTES = new Set(DIRECTORY_ATTRIBUTES.filter((a) => a.encoding === 'text').map((a) => a.name.toLowerCase()));
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const LENIENT_UTF8 = new TextDecoder('utf-8');

/** Opens the export afresh for each pass. */
export type ChunkSource = () => AsyncIterable<Uint8Array>;

/** Counts of one LDIF read. */
export interface LdifReadStats {
  records: number;
  /** Records that are not a user, group, contact or computer, or are not `add` records. */
  skipped: number;
}

/**
 * A placeholder objectGUID for a record that has none (hand-written LDIF; ldifde always
 * exports objectGUID): a name-based UUID (RFC 9562 version 5 layout) over the lower-cased
 * DN, so the same file always gives the same GUIDs and two DNs never share one.
 */
export function placeholderGuid(dn: string): string {
  const hash = createHash('sha1').update(`syncready-ldif-placeholder:${dn.toLowerCase()}`).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Reads directory objects from an LDIF export (`ldifde -f` or `ldapsearch`), streaming: one
 * pass of the parser, memory bounded by one record plus one batch. Syntax errors and a file
 * that ends mid-line (a truncated export) are LdifErrors with the line number; values that are
 * not UTF-8 and records without objectGUID are input warnings, never fatal.
 */
export class LdifObjectSource implements ScanSource {
  readonly warnings = new InputWarnings();
  readonly stats: LdifReadStats = { records: 0, skipped: 0 };

  constructor(
    private readonly open: ChunkSource,
    readonly description: string,
    private readonly batchSize = 500,
  ) {}

  forest(): Promise<ForestInfo | undefined> {
    return readLdifForestFacts(this.open());
  }

  async *objects(): AsyncIterable<readonly DirectoryObject[]> {
    const parser = new LdifParser();
    let batch: DirectoryObject[] = [];
    const take = (record: LdifRecord | undefined): void => {
      if (!record) return;
      const object = this.decode(record);
      if (object) batch.push(object);
    };
    try {
      for await (const line of splitLines(this.open())) {
        if (!line.terminated) {
          throw new LdifError(line.number, 'the file ends in the middle of a line, so the export looks truncated: export it again (a hand-written file needs a line end after its last line)');
        }
        take(parser.pushLine(this.lineText(line.bytes, line.number), line.number));
        if (batch.length >= this.batchSize) {
          yield batch;
          batch = [];
        }
      }
      take(parser.end());
    } catch (err) {
      if (err instanceof LineTooLongError) throw new LdifError(err.line, `${err.message}: this is not an LDIF export`);
      throw err;
    }
    if (batch.length > 0) yield batch;
  }

  async close(): Promise<void> {
    // Each pass closes its own stream.
  }

  private lineText(bytes: Buffer, number: number): string {
    try {
      return STRICT_UTF8.decode(bytes);
    } catch {
      // RFC 2849 wants non-ASCII values base64-encoded; some tools write them raw in a legacy
      // code page instead. Keep reading, say where.
      this.warnings.add({ code: 'LDIF.NON_UTF8', line: number, dn: '', attribute: '', message: `line ${number} is not UTF-8 text; invalid bytes were read as U+FFFD` });
      return LENIENT_UTF8.decode(bytes);
    }
  }

  private decode(record: LdifRecord): DirectoryObject | undefined {
    this.stats.records++;
    if (record.changeType !== undefined && record.changeType !== 'add') {
      this.stats.skipped++;
      return undefined;
    }
    const raw: [string, readonly RawValue[]][] = [];
    let objectClass: string[] = [];
    let hasGuid = false;
    for (const [name, values] of record.attributes) {
      const lower = name.toLowerCase();
      if (lower === 'objectclass') objectClass = values.map((v) => (typeof v === 'string' ? v : LENIENT_UTF8.decode(v)));
      if (lower === 'objectguid') {
        hasGuid = true;
        raw.push([name, values.map((v) => this.guidBytes(v, record))]);
        continue;
      }
      if (TEXT_ATTRIBUTES.has(lower)) this.checkUtf8(name, values, record);
      raw.push([name, values]);
    }
    const kind = kindOf(objectClass);
    if (!kind) {
      this.stats.skipped++;
      return undefined;
    }
    if (!hasGuid) {
      const guid = placeholderGuid(record.dn);
      raw.push(['objectGUID', [guidToBytes(guid)]]);
      this.warnings.add({
        code: 'LDIF.NO_OBJECT_GUID',
        line: record.line,
        dn: record.dn,
        attribute: 'objectGUID',
        message: `${record.dn} has no objectGUID; placeholder ${guid} (derived from the DN) used`,
      });
    }
    try {
      return decodeRawObject(record.dn, raw);
    } catch (err) {
      // A binary attribute (objectSid, a certificate) that is not what its syntax says.
      throw new LdifError(record.line, `${record.dn}: ${(err as Error).message}`);
    }
  }

  private guidBytes(value: RawValue, record: LdifRecord): RawValue {
    if (typeof value === 'string') {
      // Hand-written LDIF may spell the GUID as text, with or without braces.
      const text = value.trim().replace(/^\{(.*)\}$/, '$1');
      if (isGuid(text)) return guidToBytes(text.toLowerCase());
      throw new LdifError(record.line, `objectGUID of ${record.dn} is neither 16 bytes (objectGUID:: base64) nor a GUID string`);
    }
    if (value.length !== 16) throw new LdifError(record.line, `objectGUID of ${record.dn} has ${value.length} bytes, not 16`);
    return value;
  }

  private checkUtf8(name: string, values: readonly RawValue[], record: LdifRecord): void {
    for (const value of values) {
      if (typeof value === 'string') continue;
      try {
        STRICT_UTF8.decode(value);
      } catch {
        this.warnings.add({
          code: 'LDIF.NON_UTF8',
          line: record.line,
          dn: record.dn,
          attribute: name,
          message: `${name} of ${record.dn} is not UTF-8 (base64 ${Buffer.from(value).toString('base64').slice(0, 40)}); invalid bytes were read as U+FFFD`,
        });
      }
    }
  }
}
