import { ENROLL_PATH, type EnrollResponse } from '@syncready/protocol';
import { ControlPlaneError, ExitCode } from '../exit-codes';
import { ensureInstallId, ensureStateDir, readIdentity, writeIdentity, type AgentIdentity } from './agent-identity';
import { generateAgentKeyPair } from './agent-key';
import { type EnrollOptions } from './enroll-options';
import { jsonRequest } from './json-request';
import { resolveTrust } from './server-trust';

/** What the enroll command needs from the host. */
export interface EnrollHost {
  readonly hostName: string;
  /** Looks up this host's AD computer objectGUID; undefined when unknown. */
  readonly lookupComputerGuid?: () => Promise<string | undefined>;
  readonly log: (line: string) => void;
  readonly out: (line: string) => void;
  /** @default 15000 */
  readonly timeoutMs?: number;
}

/**
 * `syncready-agent enroll`. A host that is enrolled stays as it is unless `--force`: a GPO
 * startup script runs it at every boot, and re-enrolling each time would mint a new agent
 * per boot (the loop cloned VMs fall into with auto-enrolling fleets).
 */
export async function runEnroll(options: EnrollOptions, host: EnrollHost): Promise<number> {
  const existing = readIdentity(options.stateDir);
  if (existing && !options.force) {
    host.out(`already enrolled as ${existing.agentId} (site ${existing.siteName}) with ${existing.serverUrl}; nothing to do (use --force to enroll again)`);
    return ExitCode.OK;
  }
  ensureStateDir(options.stateDir);
  const installId = ensureInstallId(options.stateDir);
  const trust = await resolveTrust(options.server, { ...(options.caFile ? { caFile: options.caFile } : {}), ...(options.caPin ? { caPin: options.caPin } : {}) }, host.timeoutMs);
  let computerGuid = options.computerGuid;
  if (computerGuid === undefined && host.lookupComputerGuid) {
    computerGuid = await host.lookupComputerGuid().catch((err: unknown) => {
      host.log(`could not look up this host's computer object (enrolling without it): ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
  }
  const keys = generateAgentKeyPair();
  const { status, body } = await jsonRequest(new URL(ENROLL_PATH, options.server), {
    method: 'POST',
    trust,
    timeoutMs: host.timeoutMs ?? 15_000,
    body: {
      token: options.token,
      publicKey: keys.publicKeyBase64,
      hostName: host.hostName,
      installId,
      ...(computerGuid ? { computerObjectGuid: computerGuid } : {}),
      ...(options.site ? { siteName: options.site } : {}),
    },
  });
  if (status !== 201) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ControlPlaneError('CONTROL_PLANE.REJECTED', `enrollment refused (HTTP ${status}${error?.code ? ` ${error.code}` : ''}): ${error?.message ?? String(body).slice(0, 200)}`);
  }
  const answer = body as EnrollResponse;
  const identity: AgentIdentity = {
    agentId: answer.agentId,
    siteId: answer.siteId,
    siteName: answer.siteName,
    organizationId: answer.organizationId,
    serverUrl: options.server.origin,
    ...(options.caPin ? { caPin: options.caPin } : {}),
    enrolledAt: new Date().toISOString(),
  };
  writeIdentity(options.stateDir, identity, keys.privateKeyPem);
  host.out(`enrolled as ${identity.agentId} in site ${identity.siteName} (${identity.siteId}); identity in ${options.stateDir}`);
  return ExitCode.OK;
}
