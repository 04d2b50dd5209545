/**
 * Which classes may hold the objects a read wants, from the DC's schema. A full read can then
 * search each such container one level deep instead of the whole subtree: see
 * LdapDirectoryReader (parent partition).
 */

/** The schema facts of one classSchema object that decide where its instances may live. */
export interface ClassSchemaEntry {
  /** lDAPDisplayName */
  readonly name: string;
  /** possSuperiors and systemPossSuperiors */
  readonly superiors: readonly string[];
  /** subClassOf, auxiliaryClass and systemAuxiliaryClass: their superiors count too */
  readonly inherits: readonly string[];
}

/** Looks up classSchema objects by lDAPDisplayName; names it does not know are left out. */
export type ClassSchemaLookup = (names: readonly string[]) => Promise<readonly ClassSchemaEntry[]>;

/** What {@link possibleSuperiors} found. */
export interface PossibleSuperiors {
  /** Classes an object of the given classes may be a child of (lower case). */
  readonly superiors: ReadonlySet<string>;
  /** The given classes with every class they inherit from or include (lower case). */
  readonly chain: ReadonlySet<string>;
}

/** lDAPDisplayNames are letters, digits and hyphens; anything else is not looked up (or put in a filter). */
const CLASS_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;

/**
 * The classes whose instances may be the parent of an object of `classes`. AD checks a new or
 * moved object's parent against the possSuperiors and systemPossSuperiors of the object's
 * class, of every class it derives from (subClassOf, up to top) and of its auxiliary classes,
 * so the union over that chain bounds where such an object can be. A schema lookup that comes
 * back without a class of the chain, or with a name that is not a class name, is an error:
 * the caller must not narrow a read on a partial answer.
 */
export async function possibleSuperiors(classes: readonly string[], lookup: ClassSchemaLookup): Promise<PossibleSuperiors> {
  const chain = new Set<string>();
  const superiors = new Set<string>();
  let wanted = [...new Set(classes.map((c) => c.toLowerCase()))];
  while (wanted.length > 0) {
    for (const name of wanted) {
      if (!CLASS_NAME.test(name)) throw new Error(`schema class name "${name}" is not an lDAPDisplayName`);
      chain.add(name);
    }
    const entries = await lookup(wanted);
    const found = new Set(entries.map((e) => e.name.toLowerCase()));
    const missing = wanted.filter((name) => !found.has(name));
    if (missing.length > 0) throw new Error(`the schema holds no class ${missing.join(', ')}`);
    const next = new Set<string>();
    for (const entry of entries) {
      for (const superior of entry.superiors) {
        if (!CLASS_NAME.test(superior)) throw new Error(`schema class name "${superior}" is not an lDAPDisplayName`);
        superiors.add(superior.toLowerCase());
      }
      for (const inherited of entry.inherits) {
        const name = inherited.toLowerCase();
        if (!chain.has(name)) next.add(name);
      }
    }
    wanted = [...next];
  }
  return { superiors, chain };
}

/**
 * An LDAP filter matching the objects of any of `classes` (objectClass holds every class an
 * object derives from, so instances of their subclasses match too).
 */
export function classFilter(classes: Iterable<string>, attribute = 'objectClass'): string {
  const terms = [...classes].sort().map((c) => {
    if (!CLASS_NAME.test(c)) throw new Error(`schema class name "${c}" is not an lDAPDisplayName`);
    return `(${attribute}=${c})`;
  });
  if (terms.length === 0) throw new Error('no classes to filter on');
  return terms.length === 1 ? (terms[0] as string) : `(|${terms.join('')})`;
}
