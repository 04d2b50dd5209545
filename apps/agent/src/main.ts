#!/usr/bin/env node
/**
 * syncready-agent: the composition root. The only place that constructs the LDAP reader and
 * the control-plane connection; everything else receives them.
 */
import { hostname } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AdReaderError, LdapDirectoryReader } from '@syncready/ad-reader';
import { createReadinessCheck } from '@syncready/checks';
import { LdifError } from '@syncready/directory';
import { Capability, SUPPORTED_CAPABILITIES } from '@syncready/protocol';
import { ldapConnection, loadAgentConfig, resolveServerUrl, type ResolvedAgentConfig } from './agent-config';
import { readIdentity, readInstallId, readPrivateKey } from './enroll/agent-identity';
import { runEnroll } from './enroll/enroll-command';
import { ENROLL_USAGE, parseEnrollArgs } from './enroll/enroll-options';
import { ControlPlaneError, ExitCode, UsageError } from './exit-codes';
import { runScan } from './scan/scan-command';
import { ReconnectBackoff } from './resume/reconnect-backoff';
import { ResumableSession } from './resume/resumable-session';
import { parseScanArgs, SCAN_USAGE } from './scan/scan-options';
import { runSnapshotOnce } from './snapshot-run';
import { FileUsnProfileStore, type UsnProfileStore } from './usn-profile';
import { sayHello } from './session-hello';
import { runSyncCycle } from './sync-cycle';
import { runSyncLoop } from './sync-loop';
import { connectToControlPlane, type AgentConnection } from './ws-agent-transport';

// The agent's live memory is flat by design (a few pages in flight, 30-45 bytes per object for
// the snapshot digest), but V8 lets the heap grow up to four times the live set between full
// collections, by a factor it picks from how fast collection has been: peak RSS then varied
// by tens of MiB from run to run and grew with the length of the read. Twice the live set
// keeps the peak near the live set for about 5 % more CPU (measured at 20,000 and 100,000
// objects, docs/BENCHMARKS.md).
setFlagsFromString('--heap-growing-percent=100');

declare const AGENT_VERSION: string | undefined;
const VERSION = typeof AGENT_VERSION === 'string' ? AGENT_VERSION : '0.1.0-dev';

const HELP = `syncready-agent ${VERSION}: reads Active Directory at a site and streams it to the syncready control plane

Usage:
  syncready-agent enroll --server URL --token TOKEN [--site NAME] [--ca-pin SHA256] [--state-dir DIR] [--force]
                                               enroll this host with the control plane (once; see
                                               syncready-agent enroll --help)
  syncready-agent scan --ldif FILE | --ldap URL ... [--rules entra|idfix] [--format table|json|csv]
                                               check a directory for what blocks sync to Entra ID,
                                               offline (see syncready-agent scan --help)
  syncready-agent run --once [--config FILE]   read the directory once, send one full snapshot, exit
  syncready-agent run [--config FILE] [--interval-minutes N]
                                               keep the control plane current: a delta of the
                                               changes (uSNChanged) every N minutes (default:
                                               sync.intervalMinutes, 5), a full snapshot when no
                                               delta can continue from what it committed
  syncready-agent --version | --help

Options:
  --config FILE   agent config (JSON); default: $SYNCREADY_AGENT_CONFIG or ./syncready-agent.json
Environment:
  SYNCREADY_STATE_DIR       where enroll keeps the agent identity (overrides stateDir)
  SYNCREADY_ENROLL_TOKEN    enrollment token (instead of enroll --token)
  SYNCREADY_LDAP_PASSWORD   bind password (overrides ldap.passwordFile)
Exit codes: 0 ok, 1 findings at or above scan --fail-on, 2 usage, configuration or input error,
3 connection or authentication failure.
`;

/** The LDAP reader over the agent's settings. */
function connectReader(config: ResolvedAgentConfig): Promise<LdapDirectoryReader> {
  return LdapDirectoryReader.connect({
    ...ldapConnection(config),
    ...(config.ldap.baseDn ? { baseDn: config.ldap.baseDn } : {}),
    ...(config.ldap.kinds ? { kinds: config.ldap.kinds } : {}),
    ...(config.ldap.filter ? { filter: config.ldap.filter } : {}),
    pageSize: config.ldap.pageSize,
    parallelism: config.ldap.parallelism,
    timeoutMs: config.ldap.timeoutMs,
  });
}

/** An authenticated, resumable session with the control plane (not yet welcomed). */
async function openControlPlane(config: ResolvedAgentConfig): Promise<ResumableSession> {
  const identity = readIdentity(config.stateDir);
  const installId = readInstallId(config.stateDir);
  if (!identity || !installId) throw new UsageError(`this host is not enrolled (no identity in ${config.stateDir}): run syncready-agent enroll first`);
  const privateKeyPem = readPrivateKey(config.stateDir);
  const serverUrl = resolveServerUrl(config, identity.serverUrl);
  const caPin = config.server.caPin ?? identity.caPin;
  const connection = new ResumableSession({
    connect: () =>
      connectToControlPlane({
        url: serverUrl,
        ...(config.server.caFile ? { caFile: config.server.caFile } : {}),
        ...(caPin ? { caPin } : {}),
        credentials: { agentId: identity.agentId, privateKeyPem, installId, hostName: hostname() },
        connectTimeoutMs: config.server.connectTimeoutMs,
      }),
    spoolFile: join(config.stateDir, 'spool', 'snapshot.spool'),
    backoff: reconnectBackoff(config),
    log: (line) => console.error(line),
  });
  await connection.open();
  return connection;
}

function reconnectBackoff(config: ResolvedAgentConfig): ReconnectBackoff {
  return new ReconnectBackoff({ baseMs: config.server.reconnectBaseMs, capMs: config.server.reconnectCapMs, afterDropMs: config.server.reconnectAfterDropMs });
}

/** Runs `work` with a reader connected to the DC, and closes it. */
async function withReader<T>(config: ResolvedAgentConfig, work: (reader: LdapDirectoryReader) => Promise<T>): Promise<T> {
  const reader = await connectReader(config);
  try {
    return await work(reader);
  } finally {
    await reader.close();
  }
}

/**
 * Connects the reader and the control plane at the same time, runs `work`, and closes both.
 * A DC that fails is reported at once (as when the DC was connected first), without waiting
 * for the control plane's answer. For `run --once`, whose process exits next: the session's
 * close frame is sent without waiting for the control plane's reply (busy with the checks
 * right after a commit, it took about 0.1 s to answer).
 */
async function withSession<T>(config: ResolvedAgentConfig, work: (reader: LdapDirectoryReader, connection: AgentConnection) => Promise<T>): Promise<T> {
  const connecting = openControlPlane(config);
  // Handled here so that a control plane failing while the DC is still connecting is not an
  // unhandled rejection; it is rethrown by the await below.
  connecting.catch(() => undefined);
  let reader: LdapDirectoryReader;
  try {
    reader = await connectReader(config);
  } catch (err) {
    void connecting.then((connection) => connection.close(), () => undefined);
    throw err;
  }
  try {
    const connection = await connecting;
    try {
      return await work(reader, connection);
    } finally {
      await connection.close(undefined, undefined, { waitForPeer: false });
    }
  } finally {
    await reader.close();
  }
}

function sessionOptions(config: ResolvedAgentConfig): { agentVersion: string; hostName: string; batchSize: number; commitTimeoutMs: number; log: (line: string) => void; usnProfile: UsnProfileStore } {
  const log = (line: string): void => console.error(line);
  return {
    agentVersion: VERSION,
    hostName: hostname(),
    batchSize: config.snapshot.batchSize,
    commitTimeoutMs: config.server.commitTimeoutMs,
    log,
    usnProfile: new FileUsnProfileStore(join(config.stateDir, 'usn-profile.json'), log),
  };
}

async function snapshotOnce(config: ResolvedAgentConfig): Promise<void> {
  const started = Date.now();
  // One snapshot and gone: nothing to ask for a cycle later, so it does not offer sync requests.
  const capabilities = SUPPORTED_CAPABILITIES.filter((c) => c !== Capability.SYNC_REQUEST_V1);
  const outcome = await withSession(config, (reader, connection) => runSnapshotOnce({ reader, connection, ...sessionOptions(config), capabilities }));
  console.log(
    `snapshot ${outcome.snapshotId} committed as generation ${outcome.generation} of site ${outcome.siteId}: ` +
      `${outcome.objectCount} objects, ${outcome.frames} frames, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

async function scan(argv: string[]): Promise<number> {
  const options = parseScanArgs(argv);
  if (options.help) {
    console.log(SCAN_USAGE);
    return ExitCode.OK;
  }
  return runScan(options, {
    createCheck: createReadinessCheck,
    connectLdap: (ldap) => LdapDirectoryReader.connect(ldap),
  });
}

async function enroll(argv: string[]): Promise<number> {
  const options = parseEnrollArgs(argv);
  if (options.help) {
    console.log(ENROLL_USAGE);
    return ExitCode.OK;
  }
  const configPath = options.config;
  return runEnroll(options, {
    hostName: hostname(),
    ...(configPath ? { lookupComputerGuid: () => lookupComputerGuid(loadAgentConfig(configPath)) } : {}),
    log: (line) => console.error(line),
    out: (line) => console.log(line),
  });
}

/** This host's computer object (sAMAccountName HOST$) read over the agent's LDAP settings. */
async function lookupComputerGuid(config: ResolvedAgentConfig): Promise<string | undefined> {
  const account = hostname().split('.')[0]?.toUpperCase().replace(/[^A-Z0-9-]/g, '') ?? '';
  if (account === '') return undefined;
  const reader = await LdapDirectoryReader.connect({
    ...ldapConnection(config),
    kinds: ['computer'],
    filter: `(sAMAccountName=${account}$)`,
    pageSize: 10,
    // One object at most: a single search is all it takes.
    parallelism: 1,
    timeoutMs: config.ldap.timeoutMs,
  });
  try {
    for await (const page of reader.readObjects()) {
      if (page[0]) return page[0].objectGuid;
    }
    return undefined;
  } finally {
    await reader.close();
  }
}

async function main(argv: string[]): Promise<number> {
  // scan and enroll have their own flags; everything else shares the agent's.
  if (argv[0] === 'scan') return scan(argv.slice(1));
  if (argv[0] === 'enroll') return enroll(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      once: { type: 'boolean', default: false },
      'interval-minutes': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return ExitCode.OK;
  }
  if (values.version) {
    console.log(VERSION);
    return ExitCode.OK;
  }
  const [command, ...rest] = positionals;
  if (command !== 'run' || rest.length > 0) {
    throw new UsageError(command ? `unknown command "${[command, ...rest].join(' ')}"; see syncready-agent --help` : 'no command given; see syncready-agent --help');
  }
  const configPath = values.config ?? process.env['SYNCREADY_AGENT_CONFIG'] ?? 'syncready-agent.json';
  const config = loadAgentConfig(configPath);
  if (values.once) {
    await snapshotOnce(config);
    return ExitCode.OK;
  }
  const minutes = values['interval-minutes'] === undefined ? config.sync.intervalMinutes : Number(values['interval-minutes']);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new UsageError('--interval-minutes must be a positive number');
  const options = sessionOptions(config);
  await runSyncLoop({
    connect: async () => {
      const connection = await openControlPlane(config);
      try {
        return { connection, welcome: await sayHello(connection, options) };
      } catch (err) {
        await connection.close().catch(() => undefined);
        throw err;
      }
    },
    // The DC connection lives for one cycle: a DC that restarted or dropped an idle connection
    // between cycles costs nothing, and the next cycle binds afresh.
    cycle: (connection, session, request) =>
      withReader(config, (reader) => runSyncCycle({ reader, connection, ...options, fullSnapshot: request.fullSnapshot, fullSnapshotReason: request.reason }, session)),
    backoff: reconnectBackoff(config),
    intervalMs: minutes * 60_000,
    reconcileEveryCycles: config.sync.reconcileEveryCycles,
    out: (line) => console.log(line),
    log: (line) => console.error(line),
  });
  return ExitCode.OK;
}

function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError || err instanceof LdifError) return ExitCode.USAGE;
  if (err instanceof AdReaderError) return err.code === 'LDAP.INVALID_FILTER' || err.code === 'LDAP.CONFIG' ? ExitCode.USAGE : ExitCode.CONNECTION;
  if (err instanceof ControlPlaneError) return ExitCode.CONNECTION;
  if (err instanceof Error && 'code' in err && err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return ExitCode.USAGE;
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const code = exitCodeFor(err);
    const label = err instanceof Error && 'code' in err && typeof err.code === 'string' ? `${err.code}: ` : '';
    console.error(`syncready-agent: ${label}${err instanceof Error ? err.message : String(err)}`);
    if (code === 1 && err instanceof Error && err.stack) console.error(err.stack);
    process.exit(code === 1 ? 70 : code);
  },
);
