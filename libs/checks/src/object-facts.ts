import { type DirectoryObject } from '@syncready/directory';
import { type Finding } from './finding';

/** Who a finding is about: the columns every finding repeats. */
export interface FindingSubject {
  readonly dn: string;
  readonly objectGuid: string;
  readonly objectClass: string;
  readonly commonName: string;
}

/** First value of an attribute, or undefined when the attribute is absent. */
export function firstValue(object: DirectoryObject, attribute: string): string | undefined {
  return object.attributes[attribute]?.[0];
}

/** Every value of an attribute (empty when absent). */
export function allValues(object: DirectoryObject, attribute: string): readonly string[] {
  return object.attributes[attribute] ?? [];
}

/** True when the attribute is present (AD never returns an attribute with no values). */
export function hasAttribute(object: DirectoryObject, attribute: string): boolean {
  const values = object.attributes[attribute];
  return values !== undefined && values.length > 0;
}

/** AD booleans are the strings `TRUE` / `FALSE`. */
export function isTrue(object: DirectoryObject, attribute: string): boolean {
  return firstValue(object, attribute)?.toUpperCase() === 'TRUE';
}

/**
 * Replication-conflict objects: AD mangles the RDN to `<name>\0ACNF:<guid>` (escaped line feed);
 * a reader that unescapes DNs yields a real line feed instead.
 */
export function isConflictDn(dn: string): boolean {
  return /\\0acnf:|\ncnf:/i.test(dn);
}

/**
 * IdFix's object type: the last objectClass value (AD returns the chain from `top` down to
 * the structural class), falling back to our kind when objectClass was not read.
 */
export function objectTypeOf(object: DirectoryObject): string {
  const classes = object.attributes['objectClass'];
  return classes?.[classes.length - 1] ?? object.kind;
}

/** The subject columns of an object's findings. */
export function subjectOf(object: DirectoryObject): FindingSubject {
  return {
    dn: object.distinguishedName,
    objectGuid: object.objectGuid,
    objectClass: objectTypeOf(object),
    commonName: firstValue(object, 'cn') ?? '',
  };
}

/** Fields of a finding other than its subject. */
export type FindingBody = Omit<Finding, keyof FindingSubject>;

/** Puts a subject and a body together (subject columns first, for readable JSON). */
export function findingOf(subject: FindingSubject, body: FindingBody): Finding {
  const { ruleId, severity, ...rest } = body;
  return { ruleId, severity, ...subject, ...rest };
}
