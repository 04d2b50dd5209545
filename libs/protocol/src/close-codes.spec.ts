import {
  CloseCode,
  closeCodeForError,
  closeCodeName,
  type CloseCodeName,
  describeClose,
  isRetryableClose,
  MAX_CLOSE_REASON_BYTES,
  toCloseReason,
} from './close-codes';
import { ProtocolError, ProtocolErrorCode } from './protocol-error';

const entries = Object.entries(CloseCode) as [CloseCodeName, CloseCode][];

describe('CloseCode', () => {
  it('has unique codes', () => {
    const codes = entries.map(([, code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('uses the application range 4000–4999 for everything that is not a standard code', () => {
    for (const [, code] of entries) {
      expect(code === 1000 || code === 1001 || code === 1006 || code === 1009 || (code >= 4000 && code <= 4999)).toBe(true);
    }
  });

  it.each(entries)('%s has its name and its own description', (name, code) => {
    expect(closeCodeName(code)).toBe(name);
    expect(describeClose(code)).not.toContain('unknown code');
  });

  it('has a different description for every code', () => {
    const descriptions = entries.map(([, code]) => describeClose(code).replace(/\(\d+ [A-Z_]+\)/, ''));
    expect(new Set(descriptions).size).toBe(descriptions.length);
  });

  it('keeps the codes both ends rely on', () => {
    expect(CloseCode).toMatchObject({
      NORMAL: 1000,
      UNAUTHORIZED: 4001,
      UNSUPPORTED_VERSION: 4002,
      PROTOCOL_ERROR: 4003,
      FRAME_TOO_LARGE: 4004,
      HELLO_TIMEOUT: 4005,
      SNAPSHOT_REJECTED: 4006,
      INTERNAL_ERROR: 4007,
      SERVER_SHUTTING_DOWN: 4008,
      DUPLICATE_SESSION: 4009,
      AGENT_REVOKED: 4010,
      RATE_LIMITED: 4011,
    });
  });
});

describe('closeCodeName', () => {
  it('names unknown codes UNKNOWN', () => {
    expect(closeCodeName(4999)).toBe('UNKNOWN');
  });
});

describe('closeCodeForError', () => {
  it.each<[ProtocolErrorCode, CloseCode]>([
    [ProtocolErrorCode.MALFORMED_FRAME, CloseCode.PROTOCOL_ERROR],
    [ProtocolErrorCode.UNEXPECTED_MESSAGE, CloseCode.PROTOCOL_ERROR],
    [ProtocolErrorCode.FRAME_TOO_LARGE, CloseCode.FRAME_TOO_LARGE],
    [ProtocolErrorCode.UNSUPPORTED_VERSION, CloseCode.UNSUPPORTED_VERSION],
    [ProtocolErrorCode.INVALID_MESSAGE, CloseCode.INTERNAL_ERROR],
  ])('%s → %i', (code, closeCode) => {
    expect(closeCodeForError(new ProtocolError(code, 'x'))).toBe(closeCode);
  });

  it('maps every ProtocolErrorCode', () => {
    for (const code of Object.values(ProtocolErrorCode)) {
      expect(closeCodeName(closeCodeForError(new ProtocolError(code, 'x')))).not.toBe('UNKNOWN');
    }
  });

  it.each([new Error('db down'), 'a string', undefined])('maps anything else (%p) to INTERNAL_ERROR', (error) => {
    expect(closeCodeForError(error)).toBe(CloseCode.INTERNAL_ERROR);
  });
});

describe('describeClose', () => {
  it('tells the admin what to do about a refused agent identity', () => {
    expect(describeClose(4001)).toBe(
      "The control plane did not accept this agent's identity: enroll the agent again (syncready-agent enroll --force) (4001 UNAUTHORIZED).",
    );
  });

  it('appends the peer reason', () => {
    expect(describeClose(CloseCode.DUPLICATE_SESSION, ' replaced by session 9 ')).toMatch(/cloned machine.*\(4009 DUPLICATE_SESSION\): replaced by session 9\.$/);
  });

  it('still says something for unknown codes', () => {
    expect(describeClose(4999, 'why')).toBe('The connection closed with unknown code 4999 (4999 UNKNOWN): why.');
  });
});

describe('isRetryableClose', () => {
  it.each([
    [CloseCode.UNAUTHORIZED, false],
    [CloseCode.UNSUPPORTED_VERSION, false],
    [CloseCode.AGENT_REVOKED, false],
    // A clone retrying would loop for ever (fleet experience): it stops and says why.
    [CloseCode.DUPLICATE_SESSION, false],
    [CloseCode.SERVER_SHUTTING_DOWN, true],
    [CloseCode.ABNORMAL_CLOSURE, true],
    [CloseCode.PROTOCOL_ERROR, true],
  ])('%i → %p', (code, retryable) => {
    expect(isRetryableClose(code)).toBe(retryable);
  });
});

describe('toCloseReason', () => {
  const bytes = (text: string): number => new TextEncoder().encode(text).length;

  it('keeps short reasons', () => {
    expect(toCloseReason('bye')).toBe('bye');
  });

  it.each([
    ['ASCII', 'x'.repeat(500)],
    ['multi-byte', 'ü日🧑'.repeat(100)],
  ])('shortens long %s reasons to whole characters within the RFC 6455 limit', (_name, text) => {
    const reason = toCloseReason(text);
    expect(bytes(reason)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
    expect(reason.endsWith('…')).toBe(true);
    expect(text.startsWith(reason.slice(0, -1))).toBe(true);
    expect(reason).not.toMatch(/\p{Cs}/u);
  });
});
