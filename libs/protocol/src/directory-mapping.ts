import {
  type DirectoryObject,
  type ForestInfo,
  isGuid,
  OBJECT_KINDS,
  type ObjectKind,
  type PartitionInfo,
} from '@syncready/directory';
import { syncready } from './generated/agent';
import { checkText, checkTextList, checkUint, type Fail, isCleanTextList, MAX_UINT32, wireUint64 } from './field-checks';

import wire = syncready.agent.v1;

/*
 * The directory model on the wire: DirectoryObject (attribute map ⟷ repeated Attribute, kind
 * string ⟷ ObjectKind enum) and ForestInfo. `*FromWire` converts what the generated decoder
 * produced and fails on what cannot be represented (unknown kinds, duplicate attributes,
 * 64-bit values above 2^53 - 1); `validate*` checks the plain value and runs on both sides.
 */

const KIND_TO_WIRE: Readonly<Record<ObjectKind, wire.ObjectKind>> = {
  user: wire.ObjectKind.OBJECT_KIND_USER,
  group: wire.ObjectKind.OBJECT_KIND_GROUP,
  contact: wire.ObjectKind.OBJECT_KIND_CONTACT,
  computer: wire.ObjectKind.OBJECT_KIND_COMPUTER,
};

const KIND_FROM_WIRE: ReadonlyMap<number, ObjectKind> = new Map(
  OBJECT_KINDS.map((kind) => [KIND_TO_WIRE[kind], kind]),
);

/** Checks a plain DirectoryObject (identity, kind, USN, attribute shape). */
export function validateDirectoryObject(object: DirectoryObject, field: string, fail: Fail): void {
  if (!isGuid(checkText(object.objectGuid, `${field}.objectGuid`, fail, true))) {
    fail(`${field}.objectGuid is not a GUID`);
  }
  checkText(object.distinguishedName, `${field}.distinguishedName`, fail, true);
  if (!OBJECT_KINDS.includes(object.kind)) fail(`${field}.kind is not a known object kind`);
  checkUint(object.usnChanged, `${field}.usnChanged`, fail);
  const attributes: unknown = object.attributes;
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    fail(`${field}.attributes must be an object`);
  }
  // Every attribute of every object passes here: no entry arrays, and the field is named only
  // when something is wrong.
  for (const name in object.attributes) {
    if (!Object.hasOwn(object.attributes, name)) continue;
    const values = object.attributes[name];
    if (name.length > 0 && isCleanTextList(values)) continue;
    const where = `${field}.attributes[${JSON.stringify(name)}]`;
    if (name.length === 0) fail(`${field}.attributes has an empty attribute name`);
    // The directory model keeps absent attributes absent, so an empty list is a bug upstream.
    if (checkTextList(values, where, fail, false).length === 0) fail(`${where} has no values`);
  }
}

/** Plain → generated. The object must have passed {@link validateDirectoryObject}. */
export function directoryObjectToWire(object: DirectoryObject): wire.DirectoryObject.$Properties {
  return {
    objectGuid: object.objectGuid,
    distinguishedName: object.distinguishedName,
    kind: KIND_TO_WIRE[object.kind],
    usnChanged: object.usnChanged,
    attributes: attributesToWire(object.attributes),
  };
}

function attributesToWire(attributes: DirectoryObject['attributes']): wire.Attribute.$Properties[] {
  const list: wire.Attribute.$Properties[] = [];
  for (const name in attributes) {
    // protobuf.js only reads the values: no copy.
    if (Object.hasOwn(attributes, name)) list.push({ name, values: attributes[name] as string[] });
  }
  return list;
}

/** Generated → plain; the caller validates the result. */
export function directoryObjectFromWire(
  object: wire.DirectoryObject.$Properties,
  field: string,
  fail: Fail,
): DirectoryObject {
  const kind = KIND_FROM_WIRE.get(object.kind ?? wire.ObjectKind.OBJECT_KIND_UNSPECIFIED);
  if (kind === undefined) fail(`${field}.kind ${object.kind ?? 0} is not a known object kind`);
  const seen = new Set<string>();
  const entries = (object.attributes ?? []).map((attribute, i): [string, readonly string[]] => {
    const name = attribute.name ?? '';
    if (seen.has(name)) fail(`${field}.attributes[${i}] repeats attribute ${JSON.stringify(name)}`);
    seen.add(name);
    return [name, attribute.values ?? []];
  });
  return {
    objectGuid: object.objectGuid ?? '',
    distinguishedName: object.distinguishedName ?? '',
    kind,
    usnChanged: wireUint64(object.usnChanged, `${field}.usnChanged`, fail),
    // fromEntries defines own properties, so a name like "__proto__" stays an ordinary key.
    attributes: Object.fromEntries(entries),
  };
}

/** Checks a plain ForestInfo. */
export function validateForest(forest: ForestInfo, field: string, fail: Fail): void {
  if (typeof forest !== 'object' || forest === null) fail(`${field} is required`);
  checkText(forest.dcDnsHostName, `${field}.dcDnsHostName`, fail, true);
  checkText(forest.dsServiceName, `${field}.dsServiceName`, fail, true);
  if (!isGuid(checkText(forest.invocationId, `${field}.invocationId`, fail, true))) {
    fail(`${field}.invocationId is not a GUID`);
  }
  checkUint(forest.highestCommittedUsn, `${field}.highestCommittedUsn`, fail);
  checkText(forest.rootDomainNamingContext, `${field}.rootDomainNamingContext`, fail, true);
  checkText(forest.defaultNamingContext, `${field}.defaultNamingContext`, fail, true);
  checkText(forest.configurationNamingContext, `${field}.configurationNamingContext`, fail, true);
  checkText(forest.schemaNamingContext, `${field}.schemaNamingContext`, fail, true);
  checkUint(forest.forestFunctionality, `${field}.forestFunctionality`, fail, 0, MAX_UINT32);
  checkUint(forest.domainFunctionality, `${field}.domainFunctionality`, fail, 0, MAX_UINT32);
  checkUint(forest.domainControllerFunctionality, `${field}.domainControllerFunctionality`, fail, 0, MAX_UINT32);
  checkUint(forest.schemaObjectVersion, `${field}.schemaObjectVersion`, fail, 0, MAX_UINT32);
  checkTextList(forest.upnSuffixes, `${field}.upnSuffixes`, fail, true);
  if (!Array.isArray(forest.partitions)) fail(`${field}.partitions must be an array`);
  forest.partitions.forEach((partition, i) => {
    const where = `${field}.partitions[${i}]`;
    checkText(partition.nCName, `${where}.nCName`, fail, true);
    checkText(partition.dnsRoot, `${where}.dnsRoot`, fail, true);
    // Application partitions have no NetBIOS name.
    checkText(partition.netbiosName, `${where}.netbiosName`, fail, false);
  });
}

/** Plain → generated. The forest must have passed {@link validateForest}. */
export function forestToWire(forest: ForestInfo): wire.ForestInfo.$Properties {
  return {
    dcDnsHostName: forest.dcDnsHostName,
    dsServiceName: forest.dsServiceName,
    invocationId: forest.invocationId,
    highestCommittedUsn: forest.highestCommittedUsn,
    rootDomainNamingContext: forest.rootDomainNamingContext,
    defaultNamingContext: forest.defaultNamingContext,
    configurationNamingContext: forest.configurationNamingContext,
    schemaNamingContext: forest.schemaNamingContext,
    forestFunctionality: forest.forestFunctionality,
    domainFunctionality: forest.domainFunctionality,
    domainControllerFunctionality: forest.domainControllerFunctionality,
    schemaObjectVersion: forest.schemaObjectVersion,
    upnSuffixes: [...forest.upnSuffixes],
    partitions: forest.partitions.map((p) => ({ ncName: p.nCName, dnsRoot: p.dnsRoot, netbiosName: p.netbiosName })),
  };
}

/** Generated → plain; fails when the forest is absent. The caller validates the result. */
export function forestFromWire(
  forest: wire.ForestInfo.$Properties | null | undefined,
  field: string,
  fail: Fail,
): ForestInfo {
  if (forest === null || forest === undefined) fail(`${field} is required`);
  const f = forest;
  return {
    dcDnsHostName: f.dcDnsHostName ?? '',
    dsServiceName: f.dsServiceName ?? '',
    invocationId: f.invocationId ?? '',
    highestCommittedUsn: wireUint64(f.highestCommittedUsn, `${field}.highestCommittedUsn`, fail),
    rootDomainNamingContext: f.rootDomainNamingContext ?? '',
    defaultNamingContext: f.defaultNamingContext ?? '',
    configurationNamingContext: f.configurationNamingContext ?? '',
    schemaNamingContext: f.schemaNamingContext ?? '',
    forestFunctionality: f.forestFunctionality ?? 0,
    domainFunctionality: f.domainFunctionality ?? 0,
    domainControllerFunctionality: f.domainControllerFunctionality ?? 0,
    schemaObjectVersion: f.schemaObjectVersion ?? 0,
    upnSuffixes: f.upnSuffixes ?? [],
    partitions: (f.partitions ?? []).map(
      (p): PartitionInfo => ({ nCName: p.ncName ?? '', dnsRoot: p.dnsRoot ?? '', netbiosName: p.netbiosName ?? '' }),
    ),
  };
}
