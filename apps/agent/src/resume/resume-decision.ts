import { type ServerMessage } from '@syncready/protocol';

/** What to do with a snapshot after a reconnect, from the control plane's answer to its begin frame. */
export type ResumeDecision = { readonly kind: 'resume'; readonly after: number } | { readonly kind: 'restart'; readonly reason: string };

/** What the agent knows about the stream it tries to resume. */
export interface ResumeState {
  readonly snapshotId: string;
  /** Highest sequence the control plane acknowledged before the drop (the spool holds only later frames). */
  readonly acknowledged: number;
  /** Highest sequence sent before the drop. */
  readonly sent: number;
}

/**
 * Decides whether a snapshot continues after the control plane's acknowledged sequence or
 * starts over. The control plane answers a resumed snapshotBegin with the cumulative ack of
 * what it holds, or with snapshotRejected when it discarded the partial snapshot (the window
 * ran out, or it restarted). An ack below what it acknowledged before means frames the agent
 * no longer keeps are missing, and one above what was sent cannot be trusted: both restart.
 */
export function decideResume(answer: ServerMessage, state: ResumeState): ResumeDecision {
  if (answer.type === 'snapshotRejected' && answer.snapshotId === state.snapshotId) {
    return { kind: 'restart', reason: `the control plane discarded snapshot ${state.snapshotId} (${answer.reason})` };
  }
  if (answer.type !== 'ack' || answer.snapshotId !== state.snapshotId) {
    return { kind: 'restart', reason: `the control plane answered the resume of snapshot ${state.snapshotId} with ${answer.type}` };
  }
  if (answer.sequence < state.acknowledged) {
    return { kind: 'restart', reason: `the control plane holds ${answer.sequence} frames of snapshot ${state.snapshotId} but had acknowledged ${state.acknowledged}` };
  }
  if (answer.sequence > state.sent) {
    return { kind: 'restart', reason: `the control plane acknowledged frame ${answer.sequence} of snapshot ${state.snapshotId}, only ${state.sent} were sent` };
  }
  return { kind: 'resume', after: answer.sequence };
}
