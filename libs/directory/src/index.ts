export type { AttributeMap, DirectoryObject, ForestInfo, ObjectKind, PartitionInfo } from './directory-object';
export { OBJECT_KINDS } from './directory-object';
export type { AttributeEncoding, AttributeSpec } from './attributes';
export { BINARY_ATTRIBUTES, DIRECTORY_ATTRIBUTES, kindOf } from './attributes';
export { BinaryDecodeError, guidFromBytes, guidToBytes, isGuid, sidFromBytes } from './binary-codecs';
export { LatestVersionDigest, type VersionOffer } from './latest-version-digest';
export { ObjectSetDigest } from './object-set-digest';
export { decodeRawObject, type RawValue } from './raw-object-decoder';
export { LdifError, LdifParser, parseLdif, type LdifRecord } from './ldif-parser';
