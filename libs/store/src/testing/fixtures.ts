import { ObjectSetDigest, OBJECT_KINDS, type DirectoryObject, type ForestInfo, type ObjectKind } from '@syncready/directory';

/** A plausible forest for tests: one domain, 2016 functional levels. */
export function testForest(overrides: Partial<ForestInfo> = {}): ForestInfo {
  return {
    dcDnsHostName: 'dc01.corp.example.com',
    dsServiceName: 'CN=NTDS Settings,CN=DC01,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=corp,DC=example,DC=com',
    invocationId: '6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b',
    highestCommittedUsn: 987_654,
    rootDomainNamingContext: 'DC=corp,DC=example,DC=com',
    defaultNamingContext: 'DC=corp,DC=example,DC=com',
    configurationNamingContext: 'CN=Configuration,DC=corp,DC=example,DC=com',
    schemaNamingContext: 'CN=Schema,CN=Configuration,DC=corp,DC=example,DC=com',
    forestFunctionality: 7,
    domainFunctionality: 7,
    domainControllerFunctionality: 7,
    schemaObjectVersion: 88,
    upnSuffixes: ['example.com', 'exämple.de'],
    partitions: [{ nCName: 'DC=corp,DC=example,DC=com', dnsRoot: 'corp.example.com', netbiosName: 'CORP' }],
    ...overrides,
  };
}

/** The canonical lower-case GUID numbered `n` (deterministic, sortable by `n` within a seed). */
export function testGuid(n: number, seed = 0): string {
  const hex = (seed * 1_000_000_007 + n).toString(16).padStart(32, '0').slice(-32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `count` objects cycling through the kinds, with a few attributes each. */
export function testObjects(count: number, options: { seed?: number; usn?: number } = {}): DirectoryObject[] {
  const { seed = 0, usn = 1000 } = options;
  return Array.from({ length: count }, (_, i): DirectoryObject => {
    const kind: ObjectKind = OBJECT_KINDS[i % OBJECT_KINDS.length] ?? 'user';
    return {
      objectGuid: testGuid(i, seed),
      distinguishedName: `CN=Object ${i},OU=Test,DC=corp,DC=example,DC=com`,
      kind,
      usnChanged: usn + i,
      attributes: { cn: [`Object ${i}`], objectClass: ['top', kind], description: [`seed ${seed}`] },
    };
  });
}

/** What an agent would send at the end of a snapshot of `objects`. */
export function expectedFor(objects: readonly DirectoryObject[]): { objectCount: number; digest: string } {
  const digest = new ObjectSetDigest();
  for (const object of objects) digest.add(object.objectGuid, object.usnChanged);
  return { objectCount: digest.size, digest: digest.toString() };
}
