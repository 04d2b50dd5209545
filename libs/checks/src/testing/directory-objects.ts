import { type DirectoryObject, type ForestInfo, type ObjectKind } from '@syncready/directory';

const CLASSES: Readonly<Record<ObjectKind, readonly string[]>> = {
  user: ['top', 'person', 'organizationalPerson', 'user'],
  contact: ['top', 'person', 'organizationalPerson', 'contact'],
  group: ['top', 'group'],
  computer: ['top', 'person', 'organizationalPerson', 'user', 'computer'],
};

let serial = 0;

/** Attribute values for a test object: a string is one value. */
export type TestAttributes = Readonly<Record<string, string | readonly string[]>>;

/**
 * A directory object for tests: `cn` names it (and its DN), objectClass follows the kind unless
 * given, and a GUID is made up from a counter.
 */
export function testObject(kind: ObjectKind, cn: string, attributes: TestAttributes = {}, dn?: string): DirectoryObject {
  serial += 1;
  const map: Record<string, readonly string[]> = { objectClass: CLASSES[kind], cn: [cn] };
  for (const [name, value] of Object.entries(attributes)) map[name] = typeof value === 'string' ? [value] : value;
  return {
    objectGuid: `00000000-0000-4000-8000-${serial.toString(16).padStart(12, '0')}`,
    distinguishedName: dn ?? `CN=${cn},OU=Staff,DC=contoso,DC=com`,
    kind,
    usnChanged: serial,
    attributes: map,
  };
}

/** A user with a sAMAccountName (Connect skips users without one). */
export function testUser(cn: string, attributes: TestAttributes = {}): DirectoryObject {
  return testObject('user', cn, { sAMAccountName: cn.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 20) || 'x', ...attributes });
}

/** Forest facts for tests: contoso.com with an alternative suffix fabrikam.com. */
export function testForest(overrides: Partial<ForestInfo> = {}): ForestInfo {
  return {
    dcDnsHostName: 'dc1.contoso.com',
    dsServiceName: 'CN=NTDS Settings,CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=contoso,DC=com',
    invocationId: '11111111-2222-3333-4444-555555555555',
    highestCommittedUsn: 1000,
    rootDomainNamingContext: 'DC=contoso,DC=com',
    defaultNamingContext: 'DC=contoso,DC=com',
    configurationNamingContext: 'CN=Configuration,DC=contoso,DC=com',
    schemaNamingContext: 'CN=Schema,CN=Configuration,DC=contoso,DC=com',
    forestFunctionality: 7,
    domainFunctionality: 7,
    domainControllerFunctionality: 7,
    schemaObjectVersion: 88,
    upnSuffixes: ['fabrikam.com'],
    partitions: [
      { nCName: 'DC=contoso,DC=com', dnsRoot: 'contoso.com', netbiosName: 'CONTOSO' },
      { nCName: 'DC=DomainDnsZones,DC=contoso,DC=com', dnsRoot: 'DomainDnsZones.contoso.com', netbiosName: '' },
    ],
    ...overrides,
  };
}
