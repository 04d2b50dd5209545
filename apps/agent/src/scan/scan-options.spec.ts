import { UsageError } from '../exit-codes';
import { parseScanArgs } from './scan-options';

function usageError(argv: string[]): string {
  try {
    parseScanArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}

describe('parseScanArgs', () => {
  it('defaults: entra rules, table, stdout, never fail on findings', () => {
    expect(parseScanArgs(['--ldif', 'export.ldf'])).toEqual({
      input: { kind: 'ldif', file: 'export.ldf' },
      ruleSet: 'entra',
      verifiedDomains: [],
      format: 'table',
      out: undefined,
      failOn: undefined,
      ignoreUpn: false,
      help: false,
    });
  });

  it('reads an LDAP scan with StartTLS on unless --no-start-tls', () => {
    const options = parseScanArgs(['--ldap', 'ldap://dc1', '--bind-dn', 'svc@contoso.com', '--password-file', 'pw', '--no-start-tls', '--allow-plain-ldap', '--base-dn', 'OU=x,DC=c']);
    expect(options.input).toEqual({ kind: 'ldap', url: 'ldap://dc1', bindDn: 'svc@contoso.com', passwordFile: 'pw', baseDn: 'OU=x,DC=c', caFile: undefined, startTls: false, allowPlainLdap: true });
    expect(parseScanArgs(['--ldap', 'ldaps://dc1', '--bind-dn', 'x']).input).toMatchObject({ startTls: true });
  });

  it('normalizes repeated --verified-domain values', () => {
    expect(parseScanArgs(['--ldif', 'f', '--verified-domain', 'Contoso.COM.', '--verified-domain', 'contoso.com', '--verified-domain', 'xn--bcher-kva.example']).verifiedDomains).toEqual(['contoso.com', 'xn--bcher-kva.example']);
  });

  it('takes --rules idfix --ignore-upn --format csv --out --fail-on', () => {
    expect(parseScanArgs(['--ldif', 'f', '--rules', 'idfix', '--ignore-upn', '--format', 'csv', '--out', 'r.csv', '--fail-on', 'warning'])).toMatchObject({
      ruleSet: 'idfix', ignoreUpn: true, format: 'csv', out: 'r.csv', failOn: 'warning',
    });
  });

  it.each([
    [[], /nothing to scan: give --ldif FILE .* or --ldap URL/],
    [['--ldif', 'a', '--ldap', 'ldaps://dc'], /either --ldif FILE or --ldap URL/],
    [['--ldif', 'a', '--bind-dn', 'x'], /--bind-dn only applies to --ldap/],
    [['--ldap', 'ldaps://dc'], /--ldap needs --bind-dn/],
    [['--ldap', 'dc.contoso.com', '--bind-dn', 'x'], /ldaps:\/\/ or ldap:\/\/ URL/],
    [['--ldif', 'a', '--rules', 'strict'], /--rules must be one of entra, idfix, got "strict"/],
    [['--ldif', 'a', '--format', 'xml'], /--format must be one of table, json, csv/],
    [['--ldif', 'a', '--fail-on', 'info'], /--fail-on must be one of error, warning/],
    [['--ldif', 'a', '--verified-domain', 'not a domain'], /is not a domain name/],
    [['--ldif', 'a', '--ignore-upn'], /applies to --rules idfix only/],
    [['--ldif', 'a', '--colour'], /Unknown option '--colour'.*scan --help/],
    [['--ldif', 'a', 'extra'], /unexpected argument "extra"/],
    [['--ldap', 'ldap://dc', '--bind-dn', 'x', '--start-tls', '--no-start-tls'], /--start-tls or --no-start-tls, not both/],
  ])('refuses %j and says what to do', (argv, message) => {
    expect(usageError(argv as string[])).toMatch(message);
  });

  it('--help needs nothing else', () => {
    expect(parseScanArgs(['--help']).help).toBe(true);
  });
});
