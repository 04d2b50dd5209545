import { UAC, type FixtureContext } from './fixture-context';
import { escapeRdnValue, ldifAddRecord, type LdifAttribute } from './ldif-writer';
import { selfSignedCertificate } from './self-signed-certificate';

/** Operating systems as Windows writes them; version strings are `major.minor (build)`. */
const SYSTEMS = [
  { share: 0.5, prefix: 'WS', operatingSystem: 'Windows 11 Enterprise', version: '10.0 (22631)', certified: 0.7 },
  { share: 0.25, prefix: 'WS', operatingSystem: 'Windows 10 Pro', version: '10.0 (19045)', certified: 0.5 },
  { share: 0.15, prefix: 'SRV', operatingSystem: 'Windows Server 2022 Standard', version: '10.0 (20348)', certified: 0 },
] as const;

/**
 * Builds `count` computer accounts under the fixture's OU=Computers. Workstations that
 * completed hybrid join carry a self-signed userCertificate; one in ten computers never
 * reported an operating system (pre-staged accounts).
 */
export function buildComputers(ctx: FixtureContext, count: number): { records: string[]; dns: string[] } {
  const { random } = ctx;
  const records: string[] = [];
  const dns: string[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    let cumulative = 0;
    const system = SYSTEMS.find((s) => roll < (cumulative += s.share));
    // NetBIOS names: at most 15 characters, upper case; sAMAccountName adds '$'.
    const name = `${system?.prefix ?? 'PC'}-${ctx.tag.toUpperCase()}${String(i).padStart(4, '0')}`;
    const dn = `CN=${escapeRdnValue(name)},${ctx.computersDn}`;
    const host = `${name.toLowerCase()}.contoso.local`;
    const attrs: LdifAttribute[] = [
      ['objectClass', 'computer'],
      ['cn', name],
      ['sAMAccountName', `${name}$`],
      ['userAccountControl', UAC.workstationTrust],
    ];
    if (system) {
      attrs.push(['dNSHostName', host], ['operatingSystem', system.operatingSystem], ['operatingSystemVersion', system.version]);
      if (random.chance(system.certified)) {
        const certificate = selfSignedCertificate(ctx.certificateKey, {
          commonName: host,
          serial: random.bytes(16),
          notBefore: '240101000000Z',
          notAfter: '340101000000Z',
        });
        attrs.push(['userCertificate', certificate]);
      }
    }
    records.push(ldifAddRecord(dn, attrs));
    dns.push(dn);
  }
  return { records, dns };
}
