export { defaultStateDir, readDcConnection, repoRoot, sambaDcScript, type DcConnection } from './dc-connection';
export { readDcIdentity, type DcIdentity } from './dc-identity';
export { runSambaDc, type RunSambaDcOptions } from './run-samba-dc';
export { SambaDcError, type SambaDcErrorCode } from './samba-dc-error';
export {
  fixtureCounts, fixtureMarker, fixtureOuDn, generateFixtureLdif,
  type FixtureCounts, type FixtureLdif, type FixtureOptions,
} from './fixture-ldif';
export { FIXTURE_BASE_DN, GROUP_TYPE, MAILBOX_DATABASE_DNS, RECIPIENT_TYPE } from './fixture-context';
export { ensureFixture, type EnsuredFixture, type EnsureFixtureOptions } from './ensure-fixture';
export { LdapEntry, ldapDeleteTree, ldapSearch, type LdapSearchOptions } from './ldap-cli';
