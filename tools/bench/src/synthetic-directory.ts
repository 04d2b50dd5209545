import { type DirectoryObject, type ObjectKind } from '@syncready/directory';
import { seededRandom } from '@syncready/directory/testing';

const GIVEN = ['Ann', 'Bob', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jon', 'Kai', 'Lena', 'Mateo', 'Nia', 'Omar', 'Priya'];
const FAMILY = ['Lee', 'Smith', "O'Neil", 'García', 'Nguyen', 'Müller', 'Kowalski', 'Okafor', 'Rossi', 'Schmidt', 'Tanaka', 'Larsen'];

/**
 * Synthetic AD objects with a realistic mix: 80 % users, 10 % groups, 6 % contacts, 4 %
 * computers; users carry UPN, mail, mailNickname, 2–3 proxy addresses (some X500), names.
 * About 3 % carry a defect (space or bracket in a UPN or proxy, leading-dot nickname,
 * .local suffix, long givenName) and about 1 % reuse an earlier user's address.
 */
export function* syntheticDirectory(count: number, seed = 42): Generator<DirectoryObject> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  for (let i = 0; i < count; i += 1) {
    const roll = random();
    const kind: ObjectKind = roll < 0.8 ? 'user' : roll < 0.9 ? 'group' : roll < 0.96 ? 'contact' : 'computer';
    const id = i.toString(36);
    const guid = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    const ou = `OU=Dept${i % 50},OU=Staff,DC=contoso,DC=com`;
    const attributes: Record<string, readonly string[]> = {};
    let cn: string;
    if (kind === 'user') {
      const given = pick(GIVEN);
      const family = pick(FAMILY);
      cn = `${given} ${family} ${id}`;
      const alias = `${given}.${family}${id}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
      const defect = random();
      const dupOf = random() < 0.01 && i > 10 ? `user${Math.floor(random() * i).toString(36)}` : undefined;
      const local = `user${id}`;
      const upn = defect < 0.005 ? `${alias} x@contoso.com` : defect < 0.015 ? `${alias}@contoso.local` : `${alias}@contoso.com`;
      attributes['objectClass'] = ['top', 'person', 'organizationalPerson', 'user'];
      attributes['sAMAccountName'] = [local];
      attributes['userPrincipalName'] = [upn];
      attributes['mail'] = [dupOf ? `${dupOf}@contoso.com` : `${local}@contoso.com`];
      attributes['mailNickname'] = [defect > 0.995 ? `.${local}` : local];
      const proxies = [`SMTP:${local}@contoso.com`, `smtp:${alias}@fabrikam.com`];
      if (defect > 0.985 && defect <= 0.995) proxies.push(`smtp:${alias} [old]@contoso.com`);
      if (random() < 0.3) proxies.push(`X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${id}`);
      attributes['proxyAddresses'] = proxies;
      attributes['displayName'] = [`${family}, ${given}`];
      attributes['givenName'] = [defect > 0.98 && defect <= 0.985 ? given.repeat(20) : given];
      attributes['sn'] = [family];
      attributes['userAccountControl'] = ['512'];
      attributes['homeMDB'] = ['CN=DB01,CN=Databases,CN=Exchange'];
    } else if (kind === 'group') {
      cn = `Group ${id}`;
      const security = random() < 0.6;
      attributes['objectClass'] = ['top', 'group'];
      attributes['sAMAccountName'] = [`grp${id}`];
      attributes['groupType'] = [security ? '-2147483646' : '8'];
      attributes['displayName'] = [cn];
      if (!security || random() < 0.2) {
        attributes['mail'] = [`grp${id}@contoso.com`];
        attributes['mailNickname'] = [`grp${id}`];
        attributes['proxyAddresses'] = [`SMTP:grp${id}@contoso.com`];
      }
    } else if (kind === 'contact') {
      cn = `Contact ${id}`;
      attributes['objectClass'] = ['top', 'person', 'organizationalPerson', 'contact'];
      attributes['mail'] = [`ext${id}@partner.example.org`];
      attributes['mailNickname'] = [`ext${id}`];
      attributes['proxyAddresses'] = [`SMTP:ext${id}@partner.example.org`];
      attributes['targetAddress'] = [`SMTP:ext${id}@partner.example.org`];
      attributes['displayName'] = [cn];
    } else {
      cn = `PC${id}`;
      attributes['objectClass'] = ['top', 'person', 'organizationalPerson', 'user', 'computer'];
      attributes['sAMAccountName'] = [`PC${id}$`];
      attributes['dNSHostName'] = [`pc${id}.contoso.com`];
    }
    attributes['cn'] = [cn];
    yield { objectGuid: guid, distinguishedName: `CN=${cn},${ou}`, kind, usnChanged: i + 1, attributes };
  }
}
