import { Ber, BerReader, BerWriter, ProtocolOperation } from 'ldapts';
import { readRawEntry } from './raw-search-entries';

/** The protocol operation of a SearchResultEntry as a DC sends it, with a reader positioned inside it. */
function entryReader(dn: string, attributes: [string, (string | Buffer)[]][]): BerReader {
  const writer = new BerWriter();
  writer.startSequence(ProtocolOperation.LDAP_RES_SEARCH_ENTRY);
  writer.writeString(dn);
  writer.startSequence();
  for (const [name, values] of attributes) {
    writer.startSequence();
    writer.writeString(name);
    writer.startSequence(ProtocolOperation.LBER_SET);
    for (const value of values) {
      if (typeof value === 'string') writer.writeString(value);
      else writer.writeBuffer(value, Ber.OctetString);
    }
    writer.endSequence();
    writer.endSequence();
  }
  writer.endSequence();
  writer.endSequence();
  const reader = new BerReader(writer.buffer);
  reader.readSequence(ProtocolOperation.LDAP_RES_SEARCH_ENTRY);
  return reader;
}

const GUID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

describe('readRawEntry', () => {
  it('reads the DN, text values as strings and binary values as their bytes, every value in order', () => {
    const entry = readRawEntry(
      entryReader('CN=Zoë Ćwik,OU=Users,DC=example,DC=test', [
        ['objectGUID', [GUID]],
        ['proxyAddresses', ['SMTP:zoe@example.test', 'smtp:z@example.test', 'x500:/o=Org']],
        ['displayName', ['Zoë Ćwik']],
        ['description', []],
      ]),
    );
    expect(entry.dn).toBe('CN=Zoë Ćwik,OU=Users,DC=example,DC=test');
    expect(entry.raw).toEqual([
      ['objectGUID', [GUID]],
      ['proxyAddresses', ['SMTP:zoe@example.test', 'smtp:z@example.test', 'x500:/o=Org']],
      ['displayName', ['Zoë Ćwik']],
      ['description', []],
    ]);
  });

  it('gives every entry arrays of its own, though it reads through shared scratch space', () => {
    const first = readRawEntry(entryReader('CN=A,DC=test', [['mail', ['a@example.test', 'a2@example.test']], ['cn', ['A']]]));
    const second = readRawEntry(entryReader('CN=B,DC=test', [['mail', ['b@example.test']]]));
    expect(first.raw).toEqual([
      ['mail', ['a@example.test', 'a2@example.test']],
      ['cn', ['A']],
    ]);
    expect(second.raw).toEqual([['mail', ['b@example.test']]]);
  });

  it('tells binary attributes by name whatever their case, and keeps the name as the DC spelled it', () => {
    const entry = readRawEntry(entryReader('CN=A,DC=test', [['OBJECTGUID', [GUID]], ['objectSid', [Buffer.from([1, 0, 0, 0, 0, 0, 0, 5])]]]));
    expect(entry.raw[0]?.[0]).toBe('OBJECTGUID');
    expect(Buffer.isBuffer(entry.raw[0]?.[1][0])).toBe(true);
    expect(Buffer.isBuffer(entry.raw[1]?.[1][0])).toBe(true);
  });

  it('refuses a value that runs past the end of the message', () => {
    const reader = entryReader('CN=A,DC=test', [['cn', ['A value long enough to cut']]]);
    reader.setBufferSize(reader.buffer.length - 5);
    expect(() => readRawEntry(reader)).toThrow('malformed search entry: a value runs past the end of the message');
  });
});
