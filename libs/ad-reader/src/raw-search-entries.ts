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
    this.name = reader.readString() ?? '';
    reader.readSequence();
    const end = reader.offset + reader.length;
    while (reader.offset < end) {
      reader.readSequence();
      const type = reader.readString() ?? '';
      const binary = BINARY.has(type.toLowerCase());
      const values: RawValue[] = [];
      if (reader.peek() === ProtocolOperation.LBER_SET && reader.readSequence(ProtocolOperation.LBER_SET) !== null) {
        const setEnd = reader.offset + reader.length;
        while (reader.offset < setEnd) values.push(binary ? readBytes(reader) : readText(reader));
      }
      this.raw.push([type, values]);
    }
  }

  override toObject(): Entry {
    // What the object searches' consumer (searchPages) reads; see RawEntry.
    return { dn: this.name, raw: this.raw } as unknown as Entry;
  }
}

/**
 * An OCTET STRING as UTF-8 text, decoded from the message buffer in place: ldapts's
 * readString makes a Buffer view per value first, one short-lived object per value of every
 * entry.
 */
function readText(reader: BerReader): string {
  const tag = reader.peek();
  if (tag !== Ber.OctetString) throw new Error(`malformed search entry: expected an OCTET STRING value, got tag ${String(tag)}`);
  // The message's end, not the buffer's: a buffer can hold the next message too.
  const limit = reader.offset + reader.remain;
  const start = reader.readLength(reader.offset + 1);
  if (start === null || start + reader.length > limit) throw new Error('malformed search entry: a value runs past the end of the message');
  const end = start + reader.length;
  reader.offset = end;
  return reader.buffer.toString('utf8', start, end);
}

/** An OCTET STRING's bytes (a view into the message). */
function readBytes(reader: BerReader): Buffer {
  const value = reader.readString(Ber.OctetString, true);
  // ldapts answers null, without moving on, for a value cut short: never loop on it.
  if (value === null) throw new Error('malformed search entry: a value runs past the end of the message');
  return value;
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
