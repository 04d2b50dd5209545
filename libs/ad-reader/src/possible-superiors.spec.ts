import { classFilter, possibleSuperiors, type ClassSchemaEntry, type ClassSchemaLookup } from './possible-superiors';

/** The part of an AD schema (as Samba ships it) that decides where users, groups, contacts and computers may live. */
const SCHEMA: readonly ClassSchemaEntry[] = [
  { name: 'top', superiors: ['lostAndFound'], inherits: ['top'] },
  { name: 'person', superiors: ['organizationalUnit', 'container'], inherits: ['top'] },
  { name: 'organizationalPerson', superiors: ['organizationalUnit', 'organization', 'container'], inherits: ['person'] },
  { name: 'user', superiors: ['builtinDomain', 'organizationalUnit', 'domainDNS'], inherits: ['organizationalPerson', 'securityPrincipal', 'mailRecipient', 'shadowAccount'] },
  { name: 'computer', superiors: ['container', 'organizationalUnit', 'domainDNS'], inherits: ['user', 'ipHost'] },
  { name: 'contact', superiors: ['organizationalUnit', 'domainDNS'], inherits: ['organizationalPerson', 'mailRecipient'] },
  { name: 'group', superiors: ['msDS-AzScope', 'container', 'builtinDomain', 'organizationalUnit', 'domainDNS'], inherits: ['top', 'mailRecipient', 'securityPrincipal'] },
  { name: 'securityPrincipal', superiors: [], inherits: ['top'] },
  { name: 'mailRecipient', superiors: ['container'], inherits: ['top'] },
  { name: 'shadowAccount', superiors: [], inherits: ['top'] },
  { name: 'ipHost', superiors: [], inherits: ['top'] },
];

function lookupIn(schema: readonly ClassSchemaEntry[], asked: string[][] = []): ClassSchemaLookup {
  return async (names) => {
    asked.push([...names]);
    return schema.filter((c) => names.includes(c.name.toLowerCase()));
  };
}

describe('possibleSuperiors', () => {
  it('unites the superiors of each class, the classes it derives from and its auxiliary classes', async () => {
    const asked: string[][] = [];
    const { superiors, chain } = await possibleSuperiors(['user', 'group', 'contact', 'computer'], lookupIn(SCHEMA, asked));
    expect([...superiors].sort()).toEqual(['builtindomain', 'container', 'domaindns', 'lostandfound', 'msds-azscope', 'organization', 'organizationalunit']);
    expect(chain.has('organizationalperson')).toBe(true);
    expect(chain.has('mailrecipient')).toBe(true);
    // Each class is looked up once, a level of the hierarchy at a time.
    const all = asked.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(asked.length).toBeLessThanOrEqual(4);
  });

  it('includes the superiors of the one kind asked for only', async () => {
    const { superiors } = await possibleSuperiors(['contact'], lookupIn(SCHEMA));
    expect([...superiors].sort()).toEqual(['container', 'domaindns', 'lostandfound', 'organization', 'organizationalunit']);
  });

  it('fails on a class the schema does not answer for, rather than narrowing on part of it', async () => {
    const withoutPerson = SCHEMA.filter((c) => c.name !== 'person');
    await expect(possibleSuperiors(['user'], lookupIn(withoutPerson))).rejects.toThrow(/no class person/);
  });

  it('fails on a superior that is not a class name (it would go into a filter)', async () => {
    const bad = SCHEMA.map((c) => (c.name === 'contact' ? { ...c, superiors: ['organizationalUnit)(cn=*'] } : c));
    await expect(possibleSuperiors(['contact'], lookupIn(bad))).rejects.toThrow(/not an lDAPDisplayName/);
  });
});

describe('classFilter', () => {
  it('matches any of the classes, in a stable order', () => {
    expect(classFilter(['organizationalUnit', 'container'])).toBe('(|(objectClass=container)(objectClass=organizationalUnit))');
    expect(classFilter(['domainDNS'])).toBe('(objectClass=domainDNS)');
  });

  it('refuses no classes and names that are not class names', () => {
    expect(() => classFilter([])).toThrow();
    expect(() => classFilter(['a*'])).toThrow();
  });
});
