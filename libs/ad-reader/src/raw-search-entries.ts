import { BINARY_ATTRIBUTES, type RawValue } from '@syncready/directory';
import { Ber, ProtocolOperation, SearchEntry, type BerReader, type Client, type Entry } from 'ldapts';
import { AdReaderError } from './ad-reader-error';

/** One entry of an object search: text values decoded once, binary values as their bytes. */
export interface RawEntry {
  readonly dn: string;
  readonly raw: [string, RawValue[]][];
}

const BINARY = new Set(BINARY_ATTRIBUTES.map((name) => name.toLowerCase()));

/**
 * A SearchResultEntry decoded straight from the BER reader into name → values. ldapts
 * decodes every value with a fatal UTF-8 decoder and catches the exception for binary ones
 * (objectGUID, objectSid, … on every object), then copies each attribute into a result object;
 * in a CPU profile of a 20,000-object snapshot that was a quarter of the agent's own time and
 * a good part of its garbage. Here text attributes become strings once (invalid UTF-8 turns
 * into U+FFFD, as the directory model's decoder did) and binary ones stay bytes.
 */
class RawSearchEntry extends SearchEntry {
  raw: [string, RawValue[]][] = [];

  override parseMessage(reader: BerReader): void {
    const entry = readRawEntry(reader);
    this.name = entry.dn;
    this.raw = entry.raw;
  }

  override toObject(): Entry {
    // What the object searches' consumer (searchPages) reads; see RawEntry.
    return { dn: this.name, raw: this.raw } as unknown as Entry;
  }
}

/**
 * Reused while one entry is read (entries are read one at a time, synchronously). Filled by
 * index and never truncated: setting an array's length to 0 gives its storage back, and the
 * next push would allocate it again. They hold on to the last entry's values until the next
 * entry overwrites them.
 */
const scratchValues: RawValue[] = [];
const scratchAttributes: [string, RawValue[]][] = [];

/**
 * The DN and attributes of a SearchResultEntry, from a reader positioned inside its protocol
 * operation. Arrays come out at their exact size (values gathered in a scratch array first:
 * a growing array reserves room for 17 elements at its first push, and most attributes have
 * one value), and attribute names are the same string objects every time (see
 * {@link readName}). In an allocation profile of a 20,000-object snapshot this cut what
 * entry parsing allocated by more than half.
 */
export function readRawEntry(reader: BerReader): RawEntry {
  const dn = readText(reader);
  reader.readSequence();
  const end = reader.offset + reader.length;
  let attributes = 0;
  while (reader.offset < end) {
    reader.readSequence();
    const name = readName(reader);
    let values = 0;
    if (reader.peek() === ProtocolOperation.LBER_SET && reader.readSequence(ProtocolOperation.LBER_SET) !== null) {
      const setEnd = reader.offset + reader.length;
      while (reader.offset < setEnd) scratchValues[values++] = name.binary ? readBytes(reader) : readText(reader);
    }
    scratchAttributes[attributes++] = [name.text, values === 1 ? [scratchValues[0] as RawValue] : scratchValues.slice(0, values)];
  }
  return { dn, raw: scratchAttributes.slice(0, attributes) };
}

/** An attribute name as read before, and whether its values are bytes. */
interface KnownName {
  readonly bytes: Buffer;
  readonly text: string;
  readonly binary: boolean;
}

/** Names seen so far, by length; a directory answers with a few dozen names over and over. */
const knownNames = new Map<number, KnownName[]>();
/** Enough for every attribute the agent asks for, and a bound for whatever else a server sends. */
const MAX_KNOWN_NAMES = 512;
let knownNameCount = 0;

/**
 * An attribute description: the same string object for the same bytes, found by comparing
 * the bytes in the message with those seen before, so an entry's ~25 names cost no
 * allocation (ldapts makes a Buffer view and a string per name, per entry).
 */
function readName(reader: BerReader): KnownName {
  const start = skipOctetString(reader);
  const end = reader.offset;
  const buffer = reader.buffer;
  const sameLength = knownNames.get(end - start);
  if (sameLength) {
    for (const known of sameLength) if (buffer.compare(known.bytes, 0, known.bytes.length, start, end) === 0) return known;
  }
  const text = buffer.toString('utf8', start, end);
  const name = { bytes: Buffer.from(buffer.subarray(start, end)), text, binary: BINARY.has(text.toLowerCase()) };
  if (knownNameCount < MAX_KNOWN_NAMES) {
    knownNameCount += 1;
    if (sameLength) sameLength.push(name);
    else knownNames.set(end - start, [name]);
  }
  return name;
}

/**
 * Moves the reader past the OCTET STRING at its position and returns where the string's
 * bytes start (they end at the reader's new offset). ldapts's readString makes a Buffer view
 * per value first, one short-lived object per value of every entry.
 */
function skipOctetString(reader: BerReader): number {
  const tag = reader.peek();
  if (tag !== Ber.OctetString) throw new Error(`malformed search entry: expected an OCTET STRING value, got tag ${String(tag)}`);
  // The message's end, not the buffer's: a buffer can hold the next message too.
  const limit = reader.offset + reader.remain;
  const start = reader.readLength(reader.offset + 1);
  if (start === null || start + reader.length > limit) throw new Error('malformed search entry: a value runs past the end of the message');
  reader.offset = start + reader.length;
  return start;
}

/** An OCTET STRING as UTF-8 text, decoded from the message buffer in place. */
function readText(reader: BerReader): string {
  const start = skipOctetString(reader);
  return reader.buffer.toString('utf8', start, reader.offset);
}

/** An OCTET STRING's bytes (a view into the message). */
function readBytes(reader: BerReader): Buffer {
  const start = skipOctetString(reader);
  return reader.buffer.subarray(start, reader.offset);
}

/** The part of ldapts's per-client message parser this module hooks (ldapts 8.2). */
interface MessageParserInternals {
  /** `request` is the request the response answers (its controls tell how to parse the response's). */
  _getMessageFromProtocolOperation(messageId: number, protocolOperation: number, reader: BerReader, request?: { controls?: unknown[] }): unknown;
}

/**
 * Makes `client` decode the entries of searches whose request passes `isObjectSearch` as
 * {@link RawEntry} (the search's result then holds RawEntry objects, not ldapts Entries).
 * Every other search on the client (rootDSE, configuration, tombstones) is untouched. The hook
 * sits on ldapts internals, pinned to an exact version in package.json; a version without
 * them fails here, at connect, not with wrong data later.
 */
export function decodeObjectEntriesRaw(client: Client, isObjectSearch: (request: unknown) => boolean): void {
  const parser = (client as unknown as { messageParser?: Partial<MessageParserInternals> }).messageParser;
  const original = parser?._getMessageFromProtocolOperation;
  if (!parser || typeof original !== 'function') {
    throw new AdReaderError('LDAP.CLIENT', 'the LDAP client library (ldapts) no longer has the message parser the agent decodes entries with; install the version package.json names');
  }
  parser._getMessageFromProtocolOperation = function (this: MessageParserInternals, messageId, protocolOperation, reader, request) {
    if (protocolOperation !== ProtocolOperation.LDAP_RES_SEARCH_ENTRY || !isObjectSearch(request)) {
      return original.call(this, messageId, protocolOperation, reader, request);
    }
    const entry = new RawSearchEntry({ messageId });
    entry.parse(reader, (request?.controls ?? []) as Parameters<SearchEntry['parse']>[1]);
    return entry;
  };
}
