import { type DirectoryObject } from '@syncready/directory';
import { type Finding } from '../finding';
import { type FindingBody, type FindingSubject, allValues, findingOf, firstValue, hasAttribute, subjectOf } from '../object-facts';
import { checkMail, checkProxyAddress, checkTargetAddress, splitTyped } from './address-rules';
import { type DomainPolicy } from './domain-policy';
import { entraScopeOf } from './entra-scope';
import { checkDisplayName, checkGivenName, checkMailNickname, checkSamAccountName } from './name-rules';
import { checkUpn } from './upn-rules';

/** Which uniqueness rule a value belongs to. */
export type UniquenessKind = 'address' | 'sam' | 'nickname';

/** One value an object puts into a uniqueness index, in the order the object adds them. */
export interface UniqueValue {
  readonly kind: UniquenessKind;
  /** The normalized (lower-case) value the index compares. */
  readonly key: string;
  readonly attribute: string;
  /** The value as found. */
  readonly value: string;
}

/**
 * Everything one object contributes to an `entra` run. It depends on the object and the domain
 * policy only, never on other objects: that is what lets a live check replace one object's
 * contribution without looking at the rest.
 */
export interface EntraObjectCheck {
  /** mS-DS-ConsistencyGuid is populated (counted for the sourceAnchor finding, in scope or not). */
  readonly consistencyGuid: boolean;
  /** In Connect's sync scope. */
  readonly synced: boolean;
  /** Present when the attribute rules ran (synced users, contacts and groups). */
  readonly subject: FindingSubject | undefined;
  /** Per-object findings, in the order the rules produce them. */
  readonly findings: readonly Finding[];
  /** Values for the uniqueness indexes. */
  readonly values: readonly UniqueValue[];
  /** Lower-case UPN suffix of a synced user with a parseable UPN. */
  readonly upnSuffix: string | undefined;
}

const NO_FINDINGS: readonly Finding[] = [];
const NO_VALUES: readonly UniqueValue[] = [];

/** Runs the per-object rules on one object and lists what it adds to the indexes and tallies. */
export function checkEntraObject(object: DirectoryObject, domains: DomainPolicy): EntraObjectCheck {
  const consistencyGuid = hasAttribute(object, 'mS-DS-ConsistencyGuid');
  const scope = entraScopeOf(object);
  // Synced devices count toward the object total; the attribute rules are for users, contacts and groups.
  if (!scope.synced || object.kind === 'computer') {
    return { consistencyGuid, synced: scope.synced, subject: undefined, findings: NO_FINDINGS, values: NO_VALUES, upnSuffix: undefined };
  }
  const subject = subjectOf(object);
  const bodies: FindingBody[] = [];
  const values: UniqueValue[] = [];
  let upnSuffix: string | undefined;

  let upnValid = false;
  if (object.kind === 'user') {
    const upn = firstValue(object, 'userPrincipalName');
    if (upn !== undefined) {
      const check = checkUpn(upn, domains);
      bodies.push(...check.findings);
      upnValid = check.valid;
      upnSuffix = check.suffix;
      values.push({ kind: 'address', key: upn.toLowerCase(), attribute: 'userPrincipalName', value: upn });
    }
    const sam = firstValue(object, 'sAMAccountName');
    if (sam !== undefined) {
      bodies.push(...checkSamAccountName(sam, upnValid));
      values.push({ kind: 'sam', key: sam.toLowerCase(), attribute: 'sAMAccountName', value: sam });
    }
  }
  const displayName = firstValue(object, 'displayName');
  if (displayName !== undefined) bodies.push(...checkDisplayName(displayName, subject.commonName));
  const givenName = firstValue(object, 'givenName');
  if (givenName !== undefined && object.kind !== 'group') bodies.push(...checkGivenName(givenName));
  if (scope.mailAttributes) checkMailAttributes(object, domains, bodies, values);
  return { consistencyGuid, synced: true, subject, findings: bodies.map((body) => findingOf(subject, body)), values, upnSuffix };
}

function checkMailAttributes(object: DirectoryObject, domains: DomainPolicy, bodies: FindingBody[], values: UniqueValue[]): void {
  const mail = firstValue(object, 'mail');
  if (mail !== undefined) {
    bodies.push(...checkMail(mail, domains));
    values.push({ kind: 'address', key: mail.toLowerCase(), attribute: 'mail', value: mail });
  }
  const nickname = firstValue(object, 'mailNickname');
  if (nickname !== undefined) {
    bodies.push(...checkMailNickname(nickname));
    values.push({ kind: 'nickname', key: nickname.toLowerCase(), attribute: 'mailNickname', value: nickname });
  }
  for (const proxy of allValues(object, 'proxyAddresses')) {
    bodies.push(...checkProxyAddress(proxy, domains));
    const typed = splitTyped(proxy);
    if (typed.type === 'smtp') values.push({ kind: 'address', key: typed.address.toLowerCase(), attribute: 'proxyAddresses', value: proxy });
  }
  const target = firstValue(object, 'targetAddress');
  if (target !== undefined) {
    bodies.push(...checkTargetAddress(target, domains));
    const typed = splitTyped(target);
    if (typed.type === 'smtp') values.push({ kind: 'address', key: typed.address.toLowerCase(), attribute: 'targetAddress', value: target });
  }
}
