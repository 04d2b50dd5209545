import { parseArgs } from 'node:util';
import { UsageError } from '../exit-codes';

/** Report formats of `scan`. */
export type ReportFormat = 'table' | 'json' | 'csv';

/** Where `scan` reads the directory from. */
export type ScanInput =
  | { readonly kind: 'ldif'; readonly file: string }
  | {
      readonly kind: 'ldap';
      readonly url: string;
      readonly bindDn: string;
      readonly passwordFile: string | undefined;
      readonly baseDn: string | undefined;
      readonly caFile: string | undefined;
      readonly startTls: boolean;
      readonly allowPlainLdap: boolean;
    };

/** `syncready-agent scan` options, validated. */
export interface ScanOptions {
  readonly input: ScanInput;
  /** @default 'entra' */
  readonly ruleSet: 'entra' | 'idfix';
  /** Lower-case, without duplicates. */
  readonly verifiedDomains: readonly string[];
  /** @default 'table' */
  readonly format: ReportFormat;
  /** Report file; undefined = stdout. */
  readonly out: string | undefined;
  /** Exit 1 when findings at or above this severity exist; undefined = never. */
  readonly failOn: 'error' | 'warning' | undefined;
  /** IdFix's "Consider Alternate Login ID (Ignore UPN errors)". @default false */
  readonly ignoreUpn: boolean;
  readonly help: boolean;
}

export const SCAN_USAGE = `Usage:
  syncready-agent scan --ldif FILE [options]
  syncready-agent scan --ldap URL --bind-dn DN --password-file FILE [--base-dn DN]
                       [--ca-file PEM] [--start-tls | --no-start-tls] [--allow-plain-ldap] [options]

Finds what blocks the directory from synchronizing to Entra ID. Works offline, without a
control plane.

Input (one of):
  --ldif FILE            an LDIF export: ldifde -f FILE, or ldapsearch -LLL ... > FILE
  --ldap URL             a DC: ldaps://dc.example.com or ldap://dc.example.com (StartTLS)
  --bind-dn DN           bind account (DN or UPN), with --ldap
  --password-file FILE   file holding the bind password (first line); or SYNCREADY_LDAP_PASSWORD
  --base-dn DN           search base (default: the domain's naming context)
  --ca-file PEM          CA that issued the DC's certificate
  --no-start-tls         with ldap://, do not upgrade with StartTLS (needs --allow-plain-ldap)
  --allow-plain-ldap     allow an unencrypted bind (isolated test DCs only)
Options:
  --rules entra|idfix        rule set (default entra: Microsoft's documented rules;
                             idfix: parity with IdFix 2.6 multi-tenant mode)
  --verified-domain DOMAIN   a verified domain of the tenant (repeat); UPN suffixes and SMTP
                             domains outside them are reported
  --format table|json|csv    report format (default table; csv has IdFix's columns)
  --out FILE                 write the report to FILE (only when the scan succeeds)
  --fail-on error|warning    exit 1 when findings at or above this severity exist
  --ignore-upn               idfix: skip userPrincipalName (IdFix's "Ignore UPN errors")
Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or input error,
3 connection or authentication failure.`;

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T | undefined): T | undefined {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
}

// RFC 1035 labels; IDNs are expected in their ASCII (xn--) form, as Entra lists them.
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

/** Parses the arguments after `scan`; every problem is a UsageError (exit 2) saying what to do. */
export function parseScanArgs(argv: readonly string[]): ScanOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        ldif: { type: 'string' },
        ldap: { type: 'string' },
        'bind-dn': { type: 'string' },
        'password-file': { type: 'string' },
        'base-dn': { type: 'string' },
        'ca-file': { type: 'string' },
        'start-tls': { type: 'boolean' },
        'no-start-tls': { type: 'boolean' },
        'allow-plain-ldap': { type: 'boolean', default: false },
        rules: { type: 'string' },
        'verified-domain': { type: 'string', multiple: true },
        format: { type: 'string' },
        out: { type: 'string' },
        'fail-on': { type: 'string' },
        'ignore-upn': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}; see syncready-agent scan --help`);
  }
  const { values, positionals } = parsed;
  const base = {
    ruleSet: oneOf('--rules', values.rules, ['entra', 'idfix'] as const, 'entra') ?? 'entra',
    format: oneOf('--format', values.format, ['table', 'json', 'csv'] as const, 'table') ?? 'table',
    failOn: oneOf('--fail-on', values['fail-on'], ['error', 'warning'] as const, undefined),
    out: values.out,
    ignoreUpn: values['ignore-upn'],
    verifiedDomains: verifiedDomains(values['verified-domain'] ?? []),
    help: values.help,
  };
  if (values.help) return { ...base, input: { kind: 'ldif', file: '' } };
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; see syncready-agent scan --help`);
  if (base.ignoreUpn && base.ruleSet !== 'idfix') throw new UsageError('--ignore-upn is IdFix\'s "Ignore UPN errors" and applies to --rules idfix only');
  if (values.out === '') throw new UsageError('--out needs a file name');
  if (values.ldif !== undefined && values.ldap !== undefined) throw new UsageError('give either --ldif FILE or --ldap URL, not both');
  if (values.ldif !== undefined) {
    if (values.ldif === '') throw new UsageError('--ldif needs a file name');
    const ldapOnly = ['bind-dn', 'password-file', 'base-dn', 'ca-file', 'start-tls', 'no-start-tls'] as const;
    const stray = ldapOnly.find((flag) => values[flag] !== undefined);
    if (stray) throw new UsageError(`--${stray} only applies to --ldap; an LDIF scan reads the file alone`);
    return { ...base, input: { kind: 'ldif', file: values.ldif } };
  }
  if (values.ldap === undefined) throw new UsageError('nothing to scan: give --ldif FILE (an ldifde or ldapsearch export) or --ldap URL --bind-dn DN --password-file FILE');
  if (!/^ldaps?:\/\/[^/]/i.test(values.ldap)) throw new UsageError(`--ldap must be an ldaps:// or ldap:// URL, got "${values.ldap}"`);
  const bindDn = values['bind-dn'];
  if (!bindDn) throw new UsageError('--ldap needs --bind-dn DN (or a UPN such as svc-syncready@example.com)');
  if (values['start-tls'] && values['no-start-tls']) throw new UsageError('give --start-tls or --no-start-tls, not both');
  return {
    ...base,
    input: {
      kind: 'ldap',
      url: values.ldap,
      bindDn,
      passwordFile: values['password-file'],
      baseDn: values['base-dn'],
      caFile: values['ca-file'],
      startTls: !values['no-start-tls'],
      allowPlainLdap: values['allow-plain-ldap'],
    },
  };
}

function verifiedDomains(raw: readonly string[]): string[] {
  const domains = new Set<string>();
  for (const value of raw) {
    const domain = value.trim().toLowerCase().replace(/\.$/, '');
    if (!DOMAIN.test(domain)) throw new UsageError(`--verified-domain "${value}" is not a domain name (e.g. contoso.com)`);
    domains.add(domain);
  }
  return [...domains].sort();
}
