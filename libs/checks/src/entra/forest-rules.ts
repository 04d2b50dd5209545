import { type ForestInfo } from '@syncready/directory';
import { type Finding } from '../finding';
import { type FindingSubject } from '../object-facts';
import { entraBody } from './entra-finding';

/** What the engine counted while objects streamed past. */
export interface ForestTally {
  /** Objects Connect would synchronize. */
  readonly syncedObjects: number;
  /** Objects of any kind and scope read. */
  readonly objectsRead: number;
  /** Of those, objects with mS-DS-ConsistencyGuid populated. */
  readonly consistencyGuidPopulated: number;
  /** UPN suffix (lower-case) → number of synced users using it. */
  readonly upnSuffixUse: ReadonlyMap<string, number>;
}

/** SQL Server Express LocalDB's 10 GB limit holds about this many objects. */
export const LOCALDB_OBJECT_GUIDANCE = 100_000;

/**
 * Forest-level checks: functional level and schema version (Windows Server 2003 or later),
 * UPN suffixes in use but not registered, the object count against the LocalDB guidance, and
 * which sourceAnchor Connect's express setup will choose.
 */
export function forestFindings(forest: ForestInfo | undefined, registered: ReadonlySet<string> | undefined, tally: ForestTally): Finding[] {
  const subject: FindingSubject = { dn: forest?.rootDomainNamingContext ?? '', objectGuid: '', objectClass: 'forest', commonName: '' };
  const findings: Finding[] = [];
  const add = (body: Parameters<typeof entraBody>[0]): void => void findings.push({ ...subject, ...entraBody(body) });

  if (forest) {
    // Facts an LDIF export cannot carry come as NaN: unknown is not "Windows 2000".
    if (Number.isFinite(forest.forestFunctionality) && forest.forestFunctionality < 2) {
      add({ ruleId: 'entra.forest.functional-level', severity: 'error', attribute: 'msDS-Behavior-Version', value: String(forest.forestFunctionality), message: `The forest functional level is ${forest.forestFunctionality}; Entra Connect needs Windows Server 2003 (2) or later. Raise the forest functional level.` });
    }
    if (Number.isFinite(forest.schemaObjectVersion) && forest.schemaObjectVersion < 30) {
      add({ ruleId: 'entra.forest.schema-version', severity: 'error', attribute: 'objectVersion', value: String(forest.schemaObjectVersion), message: `The schema version is ${forest.schemaObjectVersion}; Entra Connect needs Windows Server 2003 (30) or later. Extend the schema.` });
    }
  }
  if (registered) {
    for (const [suffix, users] of tally.upnSuffixUse) {
      if (registered.has(suffix)) continue;
      add({ ruleId: 'entra.forest.unregistered-upn-suffix', severity: 'warning', attribute: 'uPNSuffixes', value: suffix, message: `${users} user(s) have the UPN suffix "${suffix}", which is neither a forest domain nor a registered UPN suffix. Add it in AD Domains and Trusts (UPN Suffixes) or move the users to a registered suffix.` });
    }
  }
  if (tally.syncedObjects >= LOCALDB_OBJECT_GUIDANCE) {
    add({ ruleId: 'entra.forest.object-count', severity: 'warning', action: 'complete', attribute: 'objectCount', value: String(tally.syncedObjects), message: `${tally.syncedObjects} objects are in sync scope; SQL Server Express LocalDB (10 GB) holds about 100,000. Install Entra Connect with a full SQL Server.` });
  }
  if (tally.objectsRead > 0) {
    if (tally.consistencyGuidPopulated === 0) {
      add({ ruleId: 'entra.forest.source-anchor', severity: 'info', action: 'complete', attribute: 'mS-DS-ConsistencyGuid', value: '0', message: 'mS-DS-ConsistencyGuid is empty on every object, so Entra Connect will use it as the sourceAnchor (filled from objectGUID). Grant the AD DS connector account write access to it.' });
    } else {
      add({ ruleId: 'entra.forest.source-anchor', severity: 'warning', action: 'complete', attribute: 'mS-DS-ConsistencyGuid', value: String(tally.consistencyGuidPopulated), message: `mS-DS-ConsistencyGuid is already populated on ${tally.consistencyGuidPopulated} of ${tally.objectsRead} objects, so express setup falls back to objectGUID unless the tenant already records mS-DS-ConsistencyGuid. Find out what populated it (an earlier Connect, a migration tool) and choose the sourceAnchor deliberately in a custom install.` });
    }
  }
  return findings;
}
