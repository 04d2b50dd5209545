/*
 * DNs as a read split by parent compares and counts them. Approximate by design: a DN the
 * DC spells another way than expected only costs speed (a parent searched twice, a count not
 * found), never an object. Deciding whether an object lies under the base (isAtOrBelow) is not
 * approximate: a delta compares the DNs the DC returns with the base as the DC spells it.
 */

/** A DN for comparing with another: lower case, no spaces around separators. */
export function dnKey(dn: string): string {
  return dn.toLowerCase().replace(/\s*([,=+])\s*/g, '$1');
}

/** The key of an object's parent (its DN without the first RDN), as ReadHints.parentCounts counts it. */
export function parentKey(objectDn: string): string {
  return dnKey(parentDn(objectDn));
}

/**
 * An object's DN without its first RDN, as spelled (see {@link dnKey} for comparing); '' for
 * a DN of one RDN. Cheap enough to run on every object of a snapshot.
 */
export function parentDn(objectDn: string): string {
  for (let i = 0; i < objectDn.length; i++) {
    const code = objectDn.charCodeAt(i);
    if (code === 0x5c) i++; // a backslash escapes the next character
    else if (code === 0x2c) return objectDn.slice(i + 1); // ','
  }
  return '';
}

/** How many RDNs a DN has (commas escaped with a backslash are part of a value). */
export function dnDepth(dn: string): number {
  return dn.split(/(?<!\\),/).length;
}

/**
 * Whether the DN keyed `key` is `base` or lies below it (both {@link dnKey}s). The comma before
 * the base must be a separator: `CN=x\,OU=A,DC=x` names an object in `DC=x`, not one in
 * `OU=A,DC=x`.
 */
export function isAtOrBelow(key: string, base: string): boolean {
  if (key === base) return true;
  const comma = key.length - base.length - 1;
  if (comma < 1 || key.charCodeAt(comma) !== 0x2c || !key.endsWith(base)) return false;
  let backslashes = 0;
  for (let i = comma - 1; i >= 0 && key.charCodeAt(i) === 0x5c; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** The DNs none of the others is below (reading a container's subtree reads theirs too). */
export function outermost(dns: readonly string[]): string[] {
  const keys = dns.map(dnKey);
  return dns.filter((_, i) => !keys.some((other, j) => j !== i && (keys[i]?.endsWith(`,${other}`) || (other === keys[i] && j < i))));
}
