import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { guidToBytes, LdifError, type DirectoryObject } from '@syncready/directory';
import { splitLines } from './line-splitter';
import { LdifObjectSource, placeholderGuid } from './ldif-object-source';

const GUID = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');

/** An ldifde-style export: CRLF, changetype: add, binary objectGUID, a folded line, base64 text. */
const EXPORT = [
  '',
  'dn: CN=Zoe Angstrom,OU=Staff,DC=contoso,DC=local',
  'changetype: add',
  'objectClass: top',
  'objectClass: person',
  'objectClass: organizationalPerson',
  'objectClass: user',
  `objectGUID:: ${b64(guidToBytes(GUID))}`,
  `displayName:: ${b64('Zoë Ångström')}`,
  'proxyAddresses: SMTP:zoe.angstrom@contoso.com',
  'proxyAddresses: smtp:zoe.a.with.a.rather.long.alias.that.ldifde.folds.at.eighty.chars@cont',
  ' oso.com',
  'userPrincipalName: zoe@contoso.com',
  '',
  'dn: OU=Staff,DC=contoso,DC=local',
  'changetype: add',
  'objectClass: organizationalUnit',
  '',
  '',
].join('\r\n');

/** Yields `text` in pieces of `size` bytes: every boundary lands somewhere awkward. */
async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(bytes: Buffer | string, size = 64 * 1024): Promise<{ objects: DirectoryObject[]; source: LdifObjectSource }> {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const source = new LdifObjectSource(() => chunked(data, size), 'test.ldf', 2);
  const objects: DirectoryObject[] = [];
  for await (const batch of source.objects()) objects.push(...batch);
  return { objects, source };
}

async function ldifError(bytes: Buffer | string): Promise<LdifError> {
  try {
    await readAll(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(LdifError);
    return err as LdifError;
  }
  throw new Error('no LdifError');
}

describe('splitLines', () => {
  it('keeps CRLF pairs and UTF-8 sequences whole across chunk boundaries', async () => {
    const text = Buffer.from('a: 1\r\nb: Zoë\r\n\r\nlast', 'utf8');
    for (let size = 1; size <= text.length; size++) {
      const lines = [];
      for await (const line of splitLines(chunked(text, size))) lines.push([line.number, line.bytes.toString('utf8'), line.terminated]);
      expect(lines).toEqual([[1, 'a: 1\r', true], [2, 'b: Zoë\r', true], [3, '\r', true], [4, 'last', false]]);
    }
  });

  it('refuses a line over the limit instead of buffering it', async () => {
    await expect(async () => {
      for await (const _ of splitLines(chunked(Buffer.alloc(100, 0x61), 7), 50)) void _;
    }).rejects.toThrow('line 1 is longer than 50 bytes');
  });
});

describe('LdifObjectSource', () => {
  it.each([1, 2, 3, 7, 80, 65536])('reads an ldifde export in %i-byte chunks the same way', async (size) => {
    const { objects, source } = await readAll(EXPORT, size);
    expect(objects).toEqual([
      {
        objectGuid: GUID,
        distinguishedName: 'CN=Zoe Angstrom,OU=Staff,DC=contoso,DC=local',
        kind: 'user',
        usnChanged: 0,
        attributes: {
          objectClass: ['top', 'person', 'organizationalPerson', 'user'],
          displayName: ['Zoë Ångström'],
          proxyAddresses: ['SMTP:zoe.angstrom@contoso.com', 'smtp:zoe.a.with.a.rather.long.alias.that.ldifde.folds.at.eighty.chars@contoso.com'],
          userPrincipalName: ['zoe@contoso.com'],
        },
      },
    ]);
    expect(source.stats).toEqual({ records: 2, skipped: 1 });
    expect(source.warnings.count).toBe(0);
  });

  it('reads an ldapsearch export: version line, comments, LF', async () => {
    const text = `version: 1\n\n# contoso.local\n# search result\ndn: CN=G,DC=contoso,DC=local\nobjectClass: group\nobjectGUID:: ${b64(guidToBytes(GUID))}\n\n# numEntries: 1\n`;
    const { objects } = await readAll(text);
    expect(objects.map((o) => [o.kind, o.objectGuid])).toEqual([['group', GUID]]);
  });

  it('reports a value that is not UTF-8 as an input warning and keeps going', async () => {
    const latin1 = Buffer.from('Zo\xeb', 'latin1');
    const text = `dn: CN=Z,DC=contoso,DC=local\nobjectClass: contact\nobjectGUID:: ${b64(guidToBytes(GUID))}\ndisplayName:: ${b64(latin1)}\n\n`;
    const { objects, source } = await readAll(text);
    expect(objects[0]?.attributes['displayName']).toEqual(['Zo\ufffd']);
    expect(source.warnings.items).toEqual([
      expect.objectContaining({ code: 'LDIF.NON_UTF8', line: 1, dn: 'CN=Z,DC=contoso,DC=local', attribute: 'displayName' }),
    ]);
  });

  it('reports raw non-UTF-8 bytes on a line (a legacy code page) with the line number', async () => {
    const bytes = Buffer.concat([Buffer.from(`dn: CN=Z,DC=x\nobjectClass: user\nobjectGUID:: ${b64(guidToBytes(GUID))}\nsn: M`), Buffer.from([0xfc]), Buffer.from('ller\n\n')]);
    const { objects, source } = await readAll(bytes);
    expect(objects[0]?.attributes['sn']).toEqual(['M\ufffdller']);
    expect(source.warnings.items[0]).toMatchObject({ code: 'LDIF.NON_UTF8', line: 4 });
  });

  it('gives a record without objectGUID a placeholder derived from its DN, and says so', async () => {
    const text = 'dn: CN=Hand Made,DC=contoso,DC=local\nobjectClass: user\nuserPrincipalName: hand@contoso.com\n\n';
    const first = await readAll(text);
    const second = await readAll(text);
    expect(first.objects[0]?.objectGuid).toBe(placeholderGuid('CN=Hand Made,DC=contoso,DC=local'));
    expect(first.objects[0]?.objectGuid).toBe(second.objects[0]?.objectGuid);
    expect(placeholderGuid('CN=Other,DC=contoso,DC=local')).not.toBe(first.objects[0]?.objectGuid);
    expect(first.source.warnings.byCode()).toEqual({ 'LDIF.NO_OBJECT_GUID': 1 });
  });

  it('accepts a GUID written as text', async () => {
    const { objects } = await readAll(`dn: CN=A,DC=x\nobjectClass: group\nobjectGUID: {${GUID.toUpperCase()}}\n\n`);
    expect(objects[0]?.objectGuid).toBe(GUID);
  });

  it('skips modify records and objects that are not users, groups, contacts or computers', async () => {
    const text = `dn: CN=A,DC=x\nchangetype: modify\nreplace: description\ndescription: x\n-\n\ndn: CN=P,DC=x\nobjectClass: printQueue\n\n`;
    const { objects, source } = await readAll(text);
    expect(objects).toEqual([]);
    expect(source.stats).toEqual({ records: 2, skipped: 2 });
  });

  it('a file cut off mid-line is a truncated export: LdifError with the last line', async () => {
    const cut = EXPORT.slice(0, EXPORT.indexOf('userPrincipalName') + 10);
    const error = await ldifError(cut);
    expect(error.code).toBe('LDIF.MALFORMED');
    expect(error.line).toBe(13);
    expect(error.message).toMatch(/^line 13: .*truncated/);
  });

  it.each([
    ['a line without a colon', 'dn: CN=A,DC=x\nobjectClass: user\nnot ldif\n\n', 3],
    ['a short objectGUID', `dn: CN=A,DC=x\nobjectClass: user\nobjectGUID:: ${b64(Buffer.alloc(4))}\n\n`, 1],
    ['a malformed objectSid', `dn: CN=A,DC=x\nobjectClass: user\nobjectGUID:: ${b64(guidToBytes(GUID))}\nobjectSid:: ${b64(Buffer.alloc(3))}\n\n`, 1],
  ])('%s is an LdifError with the line', async (_what, text, line) => {
    expect((await ldifError(text)).line).toBe(line);
  });

  it('reads the forest facts of CN=Partitions records wherever they are, unknown numbers as NaN', async () => {
    const text = [
      `dn: CN=U,DC=contoso,DC=local\nobjectClass: user\nobjectGUID:: ${b64(guidToBytes(GUID))}\n`,
      'dn: CN=Partitions,CN=Configuration,DC=contoso,DC=local\nchangetype: add\nobjectClass: crossRefContainer\nuPNSuffixes: fabrikam.example\nuPNSuffixes: contoso.com\n',
      'dn: CN=CONTOSO,CN=Partitions,CN=Configuration,\n DC=contoso,DC=local\nobjectClass: crossRef\nnCName: DC=contoso,DC=local\ndnsRoot: contoso.local\nnETBIOSName: CONTOSO\n',
    ].join('\n');
    const source = new LdifObjectSource(() => chunked(Buffer.from(text), 5), 't');
    const forest = await source.forest();
    expect(forest).toMatchObject({
      rootDomainNamingContext: 'DC=contoso,DC=local',
      configurationNamingContext: 'CN=Configuration,DC=contoso,DC=local',
      upnSuffixes: ['contoso.com', 'fabrikam.example'],
      partitions: [{ nCName: 'DC=contoso,DC=local', dnsRoot: 'contoso.local', netbiosName: 'CONTOSO' }],
      forestFunctionality: NaN,
      schemaObjectVersion: NaN,
    });
    expect(await new LdifObjectSource(() => chunked(Buffer.from(EXPORT), 9), 't').forest()).toBeUndefined();
  });

  it('reads a 50 MB export keeping about one batch in memory', async () => {
    // Heap measured after a full collection, so garbage waiting to be collected does not count.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const record = (i: number): string =>
      `dn: CN=User ${i},OU=Bulk,DC=contoso,DC=local\r\nchangetype: add\r\nobjectClass: user\r\nobjectGUID:: ${b64(guidToBytes(placeholderGuid(String(i))))}\r\nuserPrincipalName: user${i}@contoso.com\r\nproxyAddresses: SMTP:user${i}@contoso.com\r\ndescription: ${'x'.repeat(120)}\r\n\r\n`;
    const count = Math.ceil((50 * 1024 * 1024) / Buffer.byteLength(record(0)));
    async function* generate(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < count; i += 1000) yield Buffer.from(Array.from({ length: Math.min(1000, count - i) }, (_, j) => record(i + j)).join(''));
    }
    const source = new LdifObjectSource(generate, 'bulk', 500);
    gc();
    const before = process.memoryUsage().heapUsed;
    let objects = 0;
    let retained = 0;
    for await (const batch of source.objects()) {
      objects += batch.length;
      if (objects % 50_000 === 0) {
        gc();
        retained = Math.max(retained, process.memoryUsage().heapUsed - before);
      }
    }
    expect(objects).toBe(count);
    // 50 MB of text, ~150 MB as objects: a reader that kept them would be far above this.
    expect(retained).toBeLessThan(8 * 1024 * 1024);
  }, 120_000);
});
