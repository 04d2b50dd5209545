import { type HelloMessage } from './messages';
import { ProtocolError, ProtocolErrorCode } from './protocol-error';

/**
 * The protocol version this build speaks by preference. It changes only with a breaking
 * schema change, which also means a new proto package (`syncready.agent.v2`).
 * @default 1
 */
export const PROTOCOL_VERSION = 1;

/**
 * The oldest protocol version this build still speaks. Raise it only after the fleet has
 * moved on: agents older than this are refused with close code UNSUPPORTED_VERSION.
 * @default 1
 */
export const MIN_SUPPORTED_PROTOCOL_VERSION = 1;

/** An inclusive range of protocol versions. */
export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

/** The range a hello offers: `[minVersion, maxVersion]`, each defaulting to `protocolVersion`. */
export function helloVersionRange(hello: HelloMessage): VersionRange {
  return { min: hello.minVersion ?? hello.protocolVersion, max: hello.maxVersion ?? hello.protocolVersion };
}

/**
 * Picks the newest version both ranges contain. Throws ProtocolError UNSUPPORTED_VERSION when
 * they do not overlap (or a range is empty), with a message that says which side is too old.
 */
export function negotiateVersion(agentMin: number, agentMax: number, serverMin: number, serverMax: number): number {
  for (const [name, value] of [
    ['agentMin', agentMin],
    ['agentMax', agentMax],
    ['serverMin', serverMin],
    ['serverMax', serverMax],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new ProtocolError(ProtocolErrorCode.UNSUPPORTED_VERSION, `${name} ${value} is not a protocol version`);
    }
  }
  if (agentMin > agentMax || serverMin > serverMax) {
    throw new ProtocolError(
      ProtocolErrorCode.UNSUPPORTED_VERSION,
      `empty version range: agent ${agentMin}–${agentMax}, control plane ${serverMin}–${serverMax}`,
    );
  }
  const chosen = Math.min(agentMax, serverMax);
  if (chosen < Math.max(agentMin, serverMin)) {
    const older = agentMax < serverMin ? 'the agent is too old for this control plane' : 'the control plane is too old for this agent';
    throw new ProtocolError(
      ProtocolErrorCode.UNSUPPORTED_VERSION,
      `no common protocol version (agent ${agentMin}–${agentMax}, control plane ${serverMin}–${serverMax}): ${older}`,
    );
  }
  return chosen;
}
