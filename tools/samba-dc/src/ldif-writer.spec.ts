import { parseLdif } from '@syncready/directory';
import { escapeRdnValue, ldifAddRecord, ldifLine, ldifModifyRecord } from './ldif-writer';

describe('ldifLine', () => {
  it.each([
    ['plain ASCII', 'mail', 'a@contoso.com', 'mail: a@contoso.com'],
    ['non-ASCII', 'sn', 'Żółć', `sn:: ${Buffer.from('Żółć').toString('base64')}`],
    ['a leading space', 'cn', ' x', 'cn:: IHg='],
    ['a leading colon', 'cn', ':x', 'cn:: Ong='],
    ['a leading <', 'cn', '<x', 'cn:: PHg='],
    ['a trailing space', 'cn', 'x ', 'cn:: eCA='],
    ['a newline', 'description', 'a\nb', 'description:: YQpi'],
    ['bytes', 'userCertificate', Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), 'userCertificate:: MAMCAQE='],
  ])('encodes %s', (_case, name, value, expected) => {
    expect(ldifLine(name, value)).toBe(expected);
  });

  it('folds long lines at 76 columns with one-space continuation lines', () => {
    const value = 'x'.repeat(200);
    const lines = ldifLine('description', value).split('\n');
    expect(lines.every((l) => l.length <= 76)).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(`description: ${value}`);
  });
});

describe('records', () => {
  it('round-trip through the directory LDIF parser', () => {
    const ldif =
      ldifAddRecord('CN=Zoë Ångström,OU=Users,DC=contoso,DC=local', [['objectClass', 'user'], ['proxyAddresses', 'SMTP:a@b'], ['proxyAddresses', 'smtp:c@d']]) +
      ldifModifyRecord('OU=X,DC=contoso,DC=local', [{ op: 'replace', attribute: 'description', values: ['done'] }]);
    const [add, modify] = parseLdif(ldif);
    expect(add?.dn).toBe('CN=Zoë Ångström,OU=Users,DC=contoso,DC=local');
    expect(add?.attributes.get('proxyAddresses')).toEqual(['SMTP:a@b', 'smtp:c@d']);
    expect(modify?.changeType).toBe('modify');
    expect(modify?.attributes.get('description')).toEqual(['done']);
  });

  it.each([
    ['Smith, John', 'Smith\\, John'],
    ['#1 fan', '\\#1 fan'],
    [' lead', '\\ lead'],
    ['trail ', 'trail\\ '],
    ['a+b="c"', 'a\\+b\\=\\"c\\"'],
  ])('escapes the RDN value %j', (value, expected) => {
    expect(escapeRdnValue(value)).toBe(expected);
  });
});
