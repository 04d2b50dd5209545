import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDcConnection, sambaDcScript } from './dc-connection';
import { type SambaDcError } from './samba-dc-error';

const VALID = {
  ldapUrl: 'ldap://127.0.0.1:389',
  ldapsUrl: 'ldaps://127.0.0.1:636',
  bindDn: 'CN=Administrator,CN=Users,DC=contoso,DC=local',
  bindUpn: 'Administrator@contoso.local',
  password: 'p',
  baseDn: 'DC=contoso,DC=local',
  realm: 'CONTOSO.LOCAL',
  domain: 'CONTOSO',
  caFile: '/x/ca.pem',
};

describe('readDcConnection', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'samba-dc-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const codeOf = (fn: () => unknown): string | undefined => {
    try {
      fn();
      return undefined;
    } catch (error) {
      return (error as SambaDcError).code;
    }
  };

  it('reads what provision writes, filling fields older files lack', () => {
    writeFileSync(join(dir, 'connection.json'), JSON.stringify(VALID));
    expect(readDcConnection(dir)).toEqual({ ...VALID, stateDir: dir, krb5Config: join(dir, 'etc', 'krb5.conf') });
  });

  it('says the DC is not there when connection.json is missing', () => {
    expect(codeOf(() => readDcConnection(dir))).toBe('SAMBA_DC.NOT_RUNNING');
  });

  it.each([['not json', '{'], ['no password', JSON.stringify({ ...VALID, password: undefined })], ['an array', '[]']])(
    'rejects a connection file with %s',
    (_case, content) => {
      writeFileSync(join(dir, 'connection.json'), content);
      expect(codeOf(() => readDcConnection(dir))).toBe('SAMBA_DC.BAD_CONNECTION_FILE');
    },
  );

  it('finds the script from its own location', () => {
    expect(sambaDcScript()).toMatch(/tools\/samba-dc\/samba-dc$/);
  });
});
