import { type ServerMessage } from '@syncready/protocol';
import { decideResume } from './resume-decision';

const state = { snapshotId: 's1', acknowledged: 4, sent: 9 };

describe('decideResume', () => {
  it.each<[string, ServerMessage, string]>([
    ['resumes after the acknowledged frames', { type: 'ack', snapshotId: 's1', sequence: 6 }, 'resume:6'],
    ['resumes at what was acknowledged before the drop', { type: 'ack', snapshotId: 's1', sequence: 4 }, 'resume:4'],
    ['resumes with nothing to resend when all was stored', { type: 'ack', snapshotId: 's1', sequence: 9 }, 'resume:9'],
    ['restarts when the control plane discarded the partial snapshot', { type: 'snapshotRejected', snapshotId: 's1', reason: 'snapshotExpired', message: '' }, 'restart'],
    ['restarts when frames the agent dropped are missing', { type: 'ack', snapshotId: 's1', sequence: 3 }, 'restart'],
    ['restarts when more was acknowledged than sent', { type: 'ack', snapshotId: 's1', sequence: 10 }, 'restart'],
    ['restarts on an ack of another snapshot', { type: 'ack', snapshotId: 's2', sequence: 6 }, 'restart'],
    ['restarts on an unexpected answer', { type: 'heartbeat', sentAtMs: 1 }, 'restart'],
  ])('%s', (_name, answer, expected) => {
    const decision = decideResume(answer, state);
    expect(decision.kind === 'resume' ? `resume:${decision.after}` : decision.kind).toBe(expected);
  });
});
