import {
  MIN_SUPPORTED_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  SUPPORTED_CAPABILITIES,
  type ServerMessage,
  type WelcomeMessage,
} from '@syncready/protocol';
import { ControlPlaneError } from './exit-codes';
import { type AgentConnection } from './ws-agent-transport';

/** Who the agent says it is in its hello. */
export interface HelloOptions {
  readonly agentVersion: string;
  readonly hostName: string;
  /** @default 15000 */
  readonly helloTimeoutMs?: number;
  /** What the agent announces. @default SUPPORTED_CAPABILITIES */
  readonly capabilities?: readonly string[];
  readonly log?: (line: string) => void;
}

/** Narrows a control-plane message to `type`; an error message or any other type throws. */
export function expectMessage<T extends ServerMessage['type']>(message: ServerMessage, type: T): Extract<ServerMessage, { type: T }> {
  if (message.type === 'error') {
    throw new ControlPlaneError('CONTROL_PLANE.REJECTED', `the control plane reported ${message.code}: ${message.message}`);
  }
  if (message.type !== type) {
    throw new ControlPlaneError('CONTROL_PLANE.CLOSED', `the control plane sent ${message.type} where ${type} was expected`);
  }
  return message as Extract<ServerMessage, { type: T }>;
}

/** Sends the hello and returns the welcome (negotiated version, capabilities, sync cursor). */
export async function sayHello(connection: AgentConnection, options: HelloOptions): Promise<WelcomeMessage> {
  await connection.send({
    type: 'hello',
    protocolVersion: PROTOCOL_VERSION,
    minVersion: MIN_SUPPORTED_PROTOCOL_VERSION,
    maxVersion: PROTOCOL_VERSION,
    agentVersion: options.agentVersion,
    capabilities: options.capabilities ?? SUPPORTED_CAPABILITIES,
    // Authentication happened during the upgrade; the field stays empty on the wire.
    siteKey: '',
    hostName: options.hostName,
  });
  const welcome = expectMessage(await connection.receive(options.helloTimeoutMs ?? 15_000, 'welcome'), 'welcome');
  options.log?.(`connected: site ${welcome.siteId}, protocol v${welcome.protocolVersion}, session ${welcome.sessionId}`);
  return welcome;
}
