import { execFile } from 'node:child_process';
import { type DcConnection } from '@syncready/samba-dc';

/*
 * Changes to the test DC made with OpenLDAP's command-line tools, independent of the agent's
 * own LDAP client: what an administrator would do.
 */

function run(tool: string, args: string[], dc: DcConnection, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(tool, ['-x', '-H', dc.ldapUrl, '-D', dc.bindDn, '-w', dc.password, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${tool} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Applies LDIF change records (`changetype: add|modify`) with ldapmodify. */
export function ldapModify(dc: DcConnection, ldif: string): Promise<string> {
  return run('ldapmodify', [], dc, ldif);
}

/** Renames `dn` to `newRdn` and moves it under `newSuperior` (ldapmodrdn, old RDN removed). */
export function ldapModRdn(dc: DcConnection, dn: string, newRdn: string, newSuperior: string): Promise<string> {
  return run('ldapmodrdn', ['-r', '-s', newSuperior, dn, newRdn], dc);
}

/** Deletes one entry (ldapdelete); AD turns it into a tombstone under Deleted Objects. */
export function ldapDelete(dc: DcConnection, dn: string): Promise<string> {
  return run('ldapdelete', [dn], dc);
}
