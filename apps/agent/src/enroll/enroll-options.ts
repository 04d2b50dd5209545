import { parseArgs } from 'node:util';
import { UsageError } from '../exit-codes';
import { defaultStateDir } from './agent-identity';
import { parseCaPin } from './server-trust';

/** `syncready-agent enroll` options, validated. */
export interface EnrollOptions {
  /** Base URL of the control plane, https:// (http:// only with allowInsecure). */
  readonly server: URL;
  readonly token: string;
  readonly site?: string;
  readonly caPin?: string;
  readonly caFile?: string;
  readonly stateDir: string;
  readonly force: boolean;
  readonly allowInsecure: boolean;
  readonly computerGuid?: string;
  /** Agent config whose ldap section is used to look up this host's computer object. */
  readonly config?: string;
  readonly help: boolean;
}

/** Usage text of `syncready-agent enroll`. */
export const ENROLL_USAGE = `Usage: syncready-agent enroll --server URL --token TOKEN [--site NAME] [--ca-pin SHA256]
                             [--ca-file PEM] [--state-dir DIR] [--force] [--computer-guid GUID]
                             [--config FILE] [--allow-insecure]

Enrolls this host with the control plane: generates an Ed25519 key pair here (the private key
never leaves the host; file mode 0600), sends the public key with the host name, the AD computer
objectGUID (from --computer-guid, or looked up over the ldap section of --config) and a locally
persisted install id, and stores the agent id and site it was given in the state directory.

  --server URL        https://control-plane.example.com (http:// only with --allow-insecure)
  --token TOKEN       enrollment token (set_…), or $SYNCREADY_ENROLL_TOKEN
  --site NAME         site to join, when the token does not name one
  --ca-pin SHA256     SHA-256 of the server certificate's SubjectPublicKeyInfo, 64 hex digits
                      (colons allowed) or base64; for self-signed or private-CA deployments
  --ca-file PEM       CA certificate that issued the server certificate
  --state-dir DIR     default: $SYNCREADY_STATE_DIR, else /var/lib/syncready-agent
                      (%ProgramData%\\syncready-agent on Windows)
  --force             enroll again even when this host is already enrolled (new key, new agent id)

Already enrolled and no --force: prints the existing agent id and exits 0 without contacting
the control plane. Exit codes: 0 enrolled (or already), 2 usage, 3 refused or unreachable.`;

/** Parses and validates the arguments after `enroll`. */
export function parseEnrollArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): EnrollOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      site: { type: 'string' },
      'ca-pin': { type: 'string' },
      'ca-file': { type: 'string' },
      'state-dir': { type: 'string' },
      force: { type: 'boolean', default: false },
      'allow-insecure': { type: 'boolean', default: false },
      'computer-guid': { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const stateDir = values['state-dir'] ?? defaultStateDir(env);
  if (values.help) return { server: new URL('https://invalid'), token: '', stateDir, force: false, allowInsecure: false, help: true };
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; see syncready-agent enroll --help`);
  if (!values.server) throw new UsageError('--server URL is required');
  const token = values.token ?? env['SYNCREADY_ENROLL_TOKEN'];
  if (!token) throw new UsageError('--token TOKEN (or SYNCREADY_ENROLL_TOKEN) is required');
  let server: URL;
  try {
    server = new URL(values.server.replace(/^ws(s?):/i, 'http$1:'));
  } catch {
    throw new UsageError(`--server ${values.server} is not a URL`);
  }
  if (server.protocol !== 'https:' && server.protocol !== 'http:') throw new UsageError('--server must be an https:// URL');
  if (server.protocol === 'http:' && !values['allow-insecure']) {
    throw new UsageError('--server is http:// (no TLS): the token would travel in clear text; use https://, or --allow-insecure for a control plane on this host');
  }
  if (values.site !== undefined && values.site.trim() === '') throw new UsageError('--site must not be empty');
  const guid = values['computer-guid'];
  if (guid !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(guid)) {
    throw new UsageError('--computer-guid must be a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301');
  }
  return {
    server,
    token,
    stateDir,
    force: values.force,
    allowInsecure: values['allow-insecure'],
    help: false,
    ...(values.site !== undefined ? { site: values.site } : {}),
    ...(values['ca-pin'] !== undefined ? { caPin: parseCaPin(values['ca-pin']) } : {}),
    ...(values['ca-file'] !== undefined ? { caFile: values['ca-file'] } : {}),
    ...(guid !== undefined ? { computerGuid: guid.toLowerCase() } : {}),
    ...(values.config !== undefined ? { config: values.config } : {}),
  };
}
