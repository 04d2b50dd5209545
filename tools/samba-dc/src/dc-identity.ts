import { guidFromBytes } from '@syncready/directory';
import { type DcConnection } from './dc-connection';
import { ldapSearch } from './ldap-cli';
import { SambaDcError } from './samba-dc-error';

/** Which copy of the directory the DC serves, and how far its changes have got. */
export interface DcIdentity {
  /** rootDSE dsServiceName: the DN of the DC's NTDS Settings object. */
  readonly dsServiceName: string;
  /** The NTDS Settings object's invocationId (new after `samba-dc restore NAME --new-invocation-id`). */
  readonly invocationId: string;
  /** rootDSE highestCommittedUSN. */
  readonly highestCommittedUsn: number;
}

/**
 * Reads rootDSE's dsServiceName and highestCommittedUSN and the invocationId on the NTDS
 * Settings object it names, with OpenLDAP's ldapsearch (independent of the agent's reader).
 */
export async function readDcIdentity(connection: DcConnection): Promise<DcIdentity> {
  const [root] = await ldapSearch(connection, { base: '', scope: 'base', attributes: ['dsServiceName', 'highestCommittedUSN'] });
  const dsServiceName = root?.text('dsServiceName');
  const usn = Number(root?.text('highestCommittedUSN'));
  if (!dsServiceName || !Number.isSafeInteger(usn)) throw new SambaDcError('SAMBA_DC.LDAP_FAILED', 'the rootDSE has no dsServiceName or highestCommittedUSN');
  const [ntds] = await ldapSearch(connection, { base: dsServiceName, scope: 'base', attributes: ['invocationId'] });
  const bytes = ntds?.bytes('invocationId');
  if (!bytes || bytes.length !== 16) throw new SambaDcError('SAMBA_DC.LDAP_FAILED', `${dsServiceName} has no 16-byte invocationId`);
  return { dsServiceName, invocationId: guidFromBytes(bytes), highestCommittedUsn: usn };
}
