import { ProtocolError } from './protocol-error';
import {
  helloVersionRange,
  MIN_SUPPORTED_PROTOCOL_VERSION,
  negotiateVersion,
  PROTOCOL_VERSION,
} from './version-negotiation';

describe('negotiateVersion', () => {
  it.each([
    // agentMin, agentMax, serverMin, serverMax, chosen
    [1, 1, 1, 1, 1],
    [1, 3, 1, 1, 1], // newer agent, older control plane
    [1, 1, 1, 3, 1], // older agent, newer control plane
    [2, 5, 1, 3, 3], // overlap: newest common
    [1, 5, 3, 4, 4],
    [3, 3, 1, 9, 3],
  ])('agent %i–%i, control plane %i–%i → %i', (agentMin, agentMax, serverMin, serverMax, chosen) => {
    expect(negotiateVersion(agentMin, agentMax, serverMin, serverMax)).toBe(chosen);
  });

  it.each([
    [1, 1, 2, 3, 'the agent is too old'],
    [4, 5, 1, 3, 'the control plane is too old'],
    [3, 2, 1, 5, 'empty version range'],
    [1, 5, 4, 3, 'empty version range'],
    [0, 1, 1, 1, 'not a protocol version'],
    [1, 1.5, 1, 1, 'not a protocol version'],
  ])('agent %p–%p, control plane %p–%p → UNSUPPORTED_VERSION (%s)', (agentMin, agentMax, serverMin, serverMax, why) => {
    let thrown: unknown;
    try {
      negotiateVersion(agentMin, agentMax, serverMin, serverMax);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProtocolError);
    expect((thrown as ProtocolError).code).toBe('PROTOCOL.UNSUPPORTED_VERSION');
    expect((thrown as ProtocolError).message).toContain(why);
  });

  it('this build speaks a non-empty range that contains its preferred version', () => {
    expect(negotiateVersion(MIN_SUPPORTED_PROTOCOL_VERSION, PROTOCOL_VERSION, MIN_SUPPORTED_PROTOCOL_VERSION, PROTOCOL_VERSION)).toBe(PROTOCOL_VERSION);
  });
});

describe('helloVersionRange', () => {
  const hello = { type: 'hello', agentVersion: '1', capabilities: [], siteKey: 'k', hostName: 'h' } as const;

  it('defaults both ends to protocolVersion', () => {
    expect(helloVersionRange({ ...hello, protocolVersion: 2 })).toEqual({ min: 2, max: 2 });
  });

  it('uses the declared range', () => {
    expect(helloVersionRange({ ...hello, protocolVersion: 2, minVersion: 1, maxVersion: 3 })).toEqual({ min: 1, max: 3 });
  });
});
