import { decodeRawObject } from './raw-object-decoder';
import { LdifError, LdifParser, parseLdif } from './ldif-parser';

const GUID_B64 = Buffer.from(Uint8Array.from({ length: 16 }, (_, i) => i + 1)).toString('base64');

describe('parseLdif', () => {
  it('reads an ldapsearch export: version, comments, folding, base64, multi-values', () => {
    const text = [
      'version: 1',
      '# a comment that is',
      '  folded',
      '',
      'dn: CN=Zoe,OU=Staff,DC=contoso,DC=local',
      `objectGUID:: ${GUID_B64}`,
      'objectClass: top',
      'objectClass: person',
      'objectClass: organizationalPerson',
      'objectClass: user',
      'displayName:: ' + Buffer.from('Zoë Ångström').toString('base64'),
      'proxyAddresses: SMTP:zoe@contoso.com',
      'proxyAddresses: smtp:zoe.a@contoso',
      ' .com',
      'description: value with trailing colon:',
      'uSNChanged: 12345',
      '',
      'dn:: ' + Buffer.from('CN=Łukasz,DC=contoso,DC=local').toString('base64'),
      'objectClass: group',
      '',
    ].join('\n');
    const [zoe, group, ...rest] = parseLdif(text);
    expect(rest).toEqual([]);
    expect(zoe?.dn).toBe('CN=Zoe,OU=Staff,DC=contoso,DC=local');
    expect(zoe?.line).toBe(5);
    expect(zoe?.attributes.get('proxyAddresses')).toEqual(['SMTP:zoe@contoso.com', 'smtp:zoe.a@contoso.com']);
    expect(zoe?.attributes.get('description')).toEqual(['value with trailing colon:']);
    expect(group?.dn).toBe('CN=Łukasz,DC=contoso,DC=local');

    const object = decodeRawObject(zoe?.dn ?? '', zoe?.attributes ?? new Map());
    expect(object).toEqual({
      objectGuid: '04030201-0605-0807-090a-0b0c0d0e0f10',
      distinguishedName: 'CN=Zoe,OU=Staff,DC=contoso,DC=local',
      kind: 'user',
      usnChanged: 12345,
      attributes: {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'],
        displayName: ['Zoë Ångström'],
        proxyAddresses: ['SMTP:zoe@contoso.com', 'smtp:zoe.a@contoso.com'],
      },
    });
  });

  it('accepts CRLF line ends and changetype: add (ldifde -f)', () => {
    const text = 'dn: CN=A,DC=x\r\nchangetype: add\r\nobjectClass: contact\r\nmail: a@x.com\r\n\r\n';
    const [record] = parseLdif(text);
    expect(record?.changeType).toBe('add');
    expect(record?.attributes.get('mail')).toEqual(['a@x.com']);
    expect(record?.attributes.has('changetype')).toBe(false);
  });

  it('keeps a record at end of input without a trailing blank line', () => {
    expect(parseLdif('dn: CN=A,DC=x\nobjectClass: group').map((r) => r.dn)).toEqual(['CN=A,DC=x']);
  });

  it.each([
    ['a line without a colon', 'dn: CN=A,DC=x\nthis is not ldif\n', 2],
    ['a record not starting with dn', 'objectClass: user\n', 1],
    ['a continuation with nothing before it', ' folded\n', 1],
    ['invalid base64', 'dn: CN=A,DC=x\nobjectGUID:: ***\n', 2],
    ['a URL value', 'dn: CN=A,DC=x\njpegPhoto:< file:///etc/passwd\n', 2],
    ['two dns in one record', 'dn: CN=A,DC=x\ndn: CN=B,DC=x\n', 2],
  ])('rejects %s with the line number', (_what, text, line) => {
    let error: unknown;
    try {
      parseLdif(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LdifError);
    expect((error as LdifError).code).toBe('LDIF.MALFORMED');
    expect((error as LdifError).line).toBe(line);
  });

  it('streams: a record is returned as soon as its blank line arrives', () => {
    const parser = new LdifParser();
    expect(parser.pushLine('dn: CN=A,DC=x', 1)).toBeUndefined();
    expect(parser.pushLine('objectClass: group', 2)).toBeUndefined();
    expect(parser.pushLine('', 3)?.dn).toBe('CN=A,DC=x');
    expect(parser.end()).toBeUndefined();
  });
});
