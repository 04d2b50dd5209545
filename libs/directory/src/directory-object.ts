/**
 * The directory model shared by the agent, the protocol and the control plane.
 *
 * Values are text after decoding: binary attributes that have a canonical text form are
 * decoded once at the edge (objectGUID and mS-DS-ConsistencyGuid as GUID strings, objectSid
 * as an SDDL SID string, userCertificate as SHA-1 thumbprints), so every later stage compares
 * strings and never has to know the wire encoding of AD.
 */

/** The kinds of object the agent reads. */
export type ObjectKind = 'user' | 'group' | 'contact' | 'computer';

/** All kinds, in the order summaries list them. */
export const OBJECT_KINDS: readonly ObjectKind[] = ['user', 'group', 'contact', 'computer'];

/** Attribute name → values, as read (multi-valued attributes keep every value, in order). */
export type AttributeMap = Readonly<Record<string, readonly string[]>>;

/** One AD object: identity and placement first-class, everything else in `attributes`. */
export interface DirectoryObject {
  /** objectGUID in canonical lower-case form (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`). */
  readonly objectGuid: string;
  readonly distinguishedName: string;
  readonly kind: ObjectKind;
  /** uSNChanged of the object on the DC it was read from. */
  readonly usnChanged: number;
  /**
   * Every other attribute that was read and present, keyed by its LDAP display name as
   * configured in {@link DIRECTORY_ATTRIBUTES} (case as listed there). Absent attributes are
   * absent keys, never empty arrays.
   */
  readonly attributes: AttributeMap;
}

/**
 * Facts about the forest and the DC the snapshot was read from. A source that cannot know a
 * numeric fact (an LDIF export has no rootDSE) sets it to NaN and a text fact to ''.
 */
export interface ForestInfo {
  /** DNS host name of the DC that answered. */
  readonly dcDnsHostName: string;
  /** dsServiceName of that DC (the NTDS Settings object). */
  readonly dsServiceName: string;
  /** invocationId of the DC's database (GUID string); changes when the DC is restored. */
  readonly invocationId: string;
  readonly highestCommittedUsn: number;
  readonly rootDomainNamingContext: string;
  readonly defaultNamingContext: string;
  readonly configurationNamingContext: string;
  readonly schemaNamingContext: string;
  /** msDS-Behavior-Version values: 0 = 2000, 2 = 2003, 3 = 2008, 4 = 2008 R2, 5 = 2012, 6 = 2012 R2, 7 = 2016. */
  readonly forestFunctionality: number;
  readonly domainFunctionality: number;
  readonly domainControllerFunctionality: number;
  /** objectVersion of the schema (e.g. 69 = 2012 R2, 87 = 2016, 88 = 2019/2022). */
  readonly schemaObjectVersion: number;
  /** uPNSuffixes registered on CN=Partitions (alternative UPN suffixes). */
  readonly upnSuffixes: readonly string[];
  readonly partitions: readonly PartitionInfo[];
}

/** One crossRef under CN=Partitions. */
export interface PartitionInfo {
  readonly nCName: string;
  readonly dnsRoot: string;
  /** NetBIOS name for domain partitions; empty for application partitions. */
  readonly netbiosName: string;
}
