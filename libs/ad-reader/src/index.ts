export { AdReaderError, type AdReaderErrorCode } from './ad-reader-error';
export { SHOW_DELETED_OID, type DeletedObjects } from './deleted-objects';
export type { DirectoryReader, OutsideTheBase, ReadHints } from './directory-reader';
export type { LdapConnectionOptions } from './ldap-connection';
export { dnKey, parentDn, parentKey } from './dn-keys';
export { LdapDirectoryReader, type LdapDirectoryReaderOptions } from './ldap-directory-reader';
export { buildObjectFilter } from './object-filter';
export { usnQuantiles } from './usn-ranges';
