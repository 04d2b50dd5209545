import { type ObjectKind } from '@syncready/directory';
import { type Client } from 'ldapts';
import { dnKey } from './dn-keys';
import { classFilter, possibleSuperiors, type ClassSchemaEntry } from './possible-superiors';

/** The classes the kinds read are instances of (lDAPDisplayName). */
const KIND_CLASSES: Record<ObjectKind, string> = { user: 'user', contact: 'contact', group: 'group', computer: 'computer' };

/** An attribute's values as strings (ldapts gives one value as a string, several as an array). */
export function attributeValues(entry: Record<string, unknown>, ...attributes: string[]): string[] {
  return attributes.flatMap((a) => {
    const value = entry[a];
    return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
  });
}

/**
 * The objects that may hold the kinds read, found on one DC connection: what a read split by
 * parent searches one level deep. AD refuses to add or move an object below a parent its
 * schema does not allow (the possSuperiors of the object's class and of the classes it derives
 * from), so every object read is a child of one of them.
 */
export class LdapParents {
  private classes: Promise<ReadonlySet<string> | undefined> | undefined;

  constructor(
    private readonly client: Client,
    private readonly kinds: readonly ObjectKind[],
  ) {}

  /**
   * The classes whose objects may hold an object of the kinds read, from the DC's schema (read
   * once), or undefined when the schema does not bound them to other classes than the kinds
   * read (searching the parents would then mean searching the objects) or cannot be read.
   */
  possibleClasses(): Promise<ReadonlySet<string> | undefined> {
    this.classes ??= (async () => {
      try {
        const { searchEntries } = await this.client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['schemaNamingContext'] });
        const schemaDn = String(searchEntries[0]?.['schemaNamingContext'] ?? '');
        if (schemaDn === '') return undefined;
        const { superiors, chain } = await possibleSuperiors(
          this.kinds.map((k) => KIND_CLASSES[k]),
          (names) => this.lookupClasses(schemaDn, names),
        );
        return superiors.size === 0 || [...superiors].some((c) => chain.has(c)) ? undefined : superiors;
      } catch {
        return undefined;
      }
    })();
    return this.classes;
  }

  /**
   * The DNs a read of everything under `dn` split by parent searches one level deep: `dn` and
   * every object under it of a {@link possibleClasses} class, so every object read is a child
   * of exactly one of them. A parent created during the read, and what is created in it, carry
   * a USN above highestCommittedUSN: the read's tail pass reads them. (Objects of a container
   * moved in during the read keep their USNs: the next delta reads them.) Undefined, to read
   * another way, when the schema does not bound the parents, `dn` is not such a parent itself,
   * or the DC does not answer: slower, never incomplete.
   */
  async under(dn: string): Promise<string[] | undefined> {
    const classes = await this.possibleClasses();
    if (!classes) return undefined;
    try {
      const { searchEntries } = await this.client.search(dn, { scope: 'sub', filter: classFilter(classes), attributes: ['1.1'], paged: { pageSize: 1000 } });
      const top = dnKey(dn);
      const below = searchEntries.map((e) => e.dn).filter((d) => dnKey(d) !== top);
      return below.length === searchEntries.length ? undefined : [dn, ...below];
    } catch {
      return undefined;
    }
  }

  /** classSchema objects by lDAPDisplayName, as {@link possibleSuperiors} needs them. */
  private async lookupClasses(schemaDn: string, names: readonly string[]): Promise<ClassSchemaEntry[]> {
    const { searchEntries } = await this.client.search(schemaDn, {
      scope: 'one',
      filter: `(&(objectClass=classSchema)${classFilter(names, 'lDAPDisplayName')})`,
      attributes: ['lDAPDisplayName', 'possSuperiors', 'systemPossSuperiors', 'subClassOf', 'auxiliaryClass', 'systemAuxiliaryClass'],
    });
    return searchEntries.map((entry) => ({
      name: attributeValues(entry, 'lDAPDisplayName')[0] ?? '',
      superiors: attributeValues(entry, 'possSuperiors', 'systemPossSuperiors'),
      inherits: attributeValues(entry, 'subClassOf', 'auxiliaryClass', 'systemAuxiliaryClass'),
    }));
  }
}
