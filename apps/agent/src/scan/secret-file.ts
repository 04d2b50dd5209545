import { readFileSync } from 'node:fs';
import { UsageError } from '../exit-codes';

/**
 * The bind password: the first line of the file, else SYNCREADY_LDAP_PASSWORD (as the agent's
 * config). Never a command-line argument, which other users of the host can read.
 */
export function readSecret(file: string | undefined, env: NodeJS.ProcessEnv): string {
  if (file === undefined) {
    const fromEnv = env['SYNCREADY_LDAP_PASSWORD'];
    if (fromEnv) return fromEnv;
    throw new UsageError('--ldap needs --password-file FILE (a file holding the bind password) or SYNCREADY_LDAP_PASSWORD');
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --password-file ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}): give a file holding the bind password`);
  }
  const first = text.split(/\r?\n/)[0] ?? '';
  if (first === '') throw new UsageError(`--password-file ${file} is empty: put the bind password on its first line`);
  return first;
}
