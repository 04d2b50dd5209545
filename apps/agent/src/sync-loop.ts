import { type SyncCursor, type SyncRequestMessage, type WelcomeMessage } from '@syncready/protocol';
import { ControlPlaneError, UsageError } from './exit-codes';
import { ReconnectBackoff } from './resume/reconnect-backoff';
import { type CycleOutcome, type SessionState } from './sync-cycle';
import { type AgentConnection } from './ws-agent-transport';

/**
 * Cycles between full snapshots when tombstones cannot be read: deletions then reach the
 * control plane only with a full snapshot, so they come at least this often.
 */
export const TOMBSTONE_FALLBACK_CYCLES = 12;

/** A connection to the control plane that has been welcomed. */
export interface WelcomedConnection {
  readonly connection: AgentConnection;
  readonly welcome: WelcomeMessage;
}

/** What one cycle is asked to do. */
export interface CycleRequest {
  readonly fullSnapshot: boolean;
  /** Why a full snapshot, for the log. */
  readonly reason: string;
}

/** Inputs of {@link runSyncLoop}. */
export interface SyncLoopOptions {
  /** Opens an authenticated connection to the control plane and says hello. */
  readonly connect: () => Promise<WelcomedConnection>;
  /** Runs one cycle on the open session (the reader is the caller's). */
  readonly cycle: (connection: AgentConnection, session: SessionState, request: CycleRequest) => Promise<CycleOutcome>;
  /** Pause between the end of one cycle and the start of the next. */
  readonly intervalMs: number;
  /** A full snapshot every this many cycles, catching anything deltas cannot see. */
  readonly reconcileEveryCycles: number;
  /** Result lines (stdout). */
  readonly out: (line: string) => void;
  /** Diagnostics (stderr). */
  readonly log: (line: string) => void;
  /** Waits between reconnect attempts while idle. @default full jitter from 1 s, cap 5 min */
  readonly backoff?: ReconnectBackoff;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Stops after this many cycles (tests). @default forever */
  readonly maxCycles?: number;
}

interface OpenSession extends WelcomedConnection {
  cursor: SyncCursor | undefined;
}

/** A final refusal (revoked, duplicate session, unauthorized): not worth an immediate retry. */
function refused(err: unknown): boolean {
  return err instanceof ControlPlaneError && err.code === 'CONTROL_PLANE.REFUSED';
}

/** Of two requests, the one that asks for more: a full snapshot covers a delta. */
function stronger(a: SyncRequestMessage | undefined, b: SyncRequestMessage): SyncRequestMessage {
  return a?.fullSnapshot && !b.fullSnapshot ? a : b;
}

/**
 * The session as a cycle sees it: a syncRequest that arrives while the cycle waits for an
 * answer is not the answer; it is kept, and the next cycle starts as soon as this one ends.
 */
function cycleView(connection: AgentConnection, keep: (request: SyncRequestMessage) => void): AgentConnection {
  return {
    send: (message) => connection.send(message),
    close: (code, reason) => connection.close(code, reason),
    receive: async (timeoutMs, waitingFor) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const message = await connection.receive(Math.max(1, deadline - Date.now()), waitingFor);
        if (message.type !== 'syncRequest') return message;
        keep(message);
      }
    },
  };
}

/**
 * `syncready-agent run`: one session with the control plane, kept open between cycles, so the
 * control plane can reach the agent at any time (a syncRequest starts a cycle at once). A
 * delta every interval, a full snapshot when the control plane holds no usable cursor, every
 * `reconcileEveryCycles` cycles and on request. The cursor is the welcome's, then the one each
 * committed cycle leaves behind. A failed cycle is logged and retried at the next interval on
 * a fresh connection; a dropped idle session is reconnected after a random delay; a usage
 * error ends the loop.
 */
export async function runSyncLoop(options: SyncLoopOptions): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const backoff = options.backoff ?? new ReconnectBackoff();
  let reconcileEvery = options.reconcileEveryCycles;
  let session: OpenSession | undefined;
  let requested: SyncRequestMessage | undefined;

  const open = async (): Promise<OpenSession> => {
    const opened = await options.connect();
    backoff.reset();
    return { ...opened, cursor: opened.welcome.cursor };
  };
  const drop = async (): Promise<void> => {
    const closing = session;
    session = undefined;
    await closing?.connection.close().catch(() => undefined);
  };

  /**
   * The control plane refused this agent (revoked, or replaced by another connection of the
   * same installation): reconnecting at once would only knock the other connection off again,
   * so the next try is the next cycle.
   */
  const waitOut = async (deadline: number, err: unknown): Promise<undefined> => {
    options.log(`the control plane refused the session (${(err as Error).message}); trying again at the next cycle`);
    await sleep(Math.max(0, deadline - Date.now()));
    return undefined;
  };

  /** Waits until `deadline`, or until the control plane asks for a cycle; keeps the session up meanwhile. */
  const waitForNextCycle = async (deadline: number): Promise<SyncRequestMessage | undefined> => {
    for (let left = deadline - Date.now(); left > 0; left = deadline - Date.now()) {
      if (!session) {
        try {
          session = await open();
        } catch (err) {
          if (err instanceof UsageError) throw err;
          if (refused(err)) return waitOut(deadline, err);
          const delay = Math.min(backoff.nextDelayMs(), left);
          options.log(`cannot reach the control plane (${(err as Error).message}); retrying in ${delay} ms`);
          await sleep(delay);
        }
        continue;
      }
      try {
        const message = await session.connection.receive(left, 'a sync request');
        if (message.type === 'syncRequest') return message;
        options.log(`ignoring ${message.type} from the control plane between cycles`);
      } catch (err) {
        if (err instanceof ControlPlaneError && err.code === 'CONTROL_PLANE.TIMEOUT') return undefined;
        if (refused(err)) {
          await drop();
          return waitOut(deadline, err);
        }
        const delay = Math.min(backoff.afterHealthyDropMs(), Math.max(0, deadline - Date.now()));
        options.log(`the session with the control plane ended between cycles (${(err as Error).message}); reconnecting in ${delay} ms`);
        await drop();
        await sleep(delay);
      }
    }
    return undefined;
  };

  try {
    for (let cycle = 0; options.maxCycles === undefined || cycle < options.maxCycles; cycle++) {
      const started = Date.now();
      const periodic = cycle > 0 && cycle % reconcileEvery === 0;
      const request: CycleRequest = requested?.fullSnapshot
        ? { fullSnapshot: true, reason: `the control plane asked for a resync${requested.reason ? ` (${requested.reason})` : ''}` }
        : { fullSnapshot: periodic, reason: 'periodic reconcile' };
      if (requested) options.log(`the control plane asked for a ${requested.fullSnapshot ? 'full snapshot' : 'sync'} now${requested.reason ? `: ${requested.reason}` : ''}`);
      requested = undefined;
      try {
        session ??= await open();
        const view = cycleView(session.connection, (message) => {
          requested = stronger(requested, message);
        });
        const outcome = await options.cycle(view, { welcome: session.welcome, cursor: session.cursor }, request);
        session.cursor = outcome.kind === 'delta' ? outcome.delta.cursor : outcome.snapshot.cursor;
        const seconds = ((Date.now() - started) / 1000).toFixed(3);
        if (outcome.kind === 'delta') {
          const d = outcome.delta;
          options.out(
            `delta ${d.deltaId} committed on generation ${d.generation} of site ${d.siteId}: ${d.upserts} upserts, ${d.deletions} deletions ` +
              `(uSNChanged ${d.fromUsn}..${d.toUsn}), ${d.frames} frames, ${seconds} s`,
          );
          if (!d.deletionsReadable) reconcileEvery = Math.min(reconcileEvery, TOMBSTONE_FALLBACK_CYCLES);
        } else {
          const s = outcome.snapshot;
          options.out(`snapshot ${s.snapshotId} committed as generation ${s.generation} of site ${s.siteId}: ${s.objectCount} objects, ${s.frames} frames, ${seconds} s`);
        }
      } catch (err) {
        if (err instanceof UsageError) throw err;
        options.log(`sync cycle failed, retrying in ${(options.intervalMs / 60_000).toFixed(2)} min: ${(err as Error).message}`);
        // Whatever state the session was left in (a half-sent delta, a rejected snapshot), the
        // next cycle starts on a fresh connection with a fresh welcome and cursor.
        await drop();
      }
      if (options.maxCycles !== undefined && cycle + 1 >= options.maxCycles) break;
      // A request that came during the cycle starts the next one at once.
      requested ??= await waitForNextCycle(Date.now() + options.intervalMs);
    }
  } finally {
    await drop();
  }
}
