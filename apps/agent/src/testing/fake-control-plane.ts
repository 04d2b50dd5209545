import { type DirectoryObject } from '@syncready/directory';
import { type AgentMessage, type ServerMessage, type SyncCursor } from '@syncready/protocol';
import { ControlPlaneError } from '../exit-codes';
import { type AgentConnection } from '../ws-agent-transport';

/**
 * A control plane in memory that answers like the real one: a welcome with the committed
 * cursor, snapshots committed as new generations, deltas applied on the current one (refused
 * on a base or invocationId mismatch). Each session is one `connect()`.
 */
export class FakeControlPlane {
  objects = new Map<string, DirectoryObject>();
  cursor: SyncCursor | undefined;
  /** Every message any session sent, in order. */
  readonly sent: AgentMessage[] = [];
  deltaCapable = true;
  /** Connections opened so far. */
  connections = 0;
  private generation = 0;
  private inbox: ServerMessage[] = [];
  private dropped: ControlPlaneError | undefined;

  /** Queues a message on the newest connection, as if the control plane sent it. */
  push(message: ServerMessage): void {
    this.inbox.push(message);
  }

  /** Ends the newest connection: its next receive or send fails as a dropped (or, with REFUSED, a refused) socket would. */
  drop(code: 'CONTROL_PLANE.CLOSED' | 'CONTROL_PLANE.REFUSED' = 'CONTROL_PLANE.CLOSED'): void {
    this.dropped = new ControlPlaneError(code, code === 'CONTROL_PLANE.REFUSED' ? 'replaced by a newer connection of the same installation' : 'the connection was dropped');
  }

  connect(): AgentConnection {
    const inbox: ServerMessage[] = [];
    this.inbox = inbox;
    this.dropped = undefined;
    this.connections += 1;
    const connection = this.connections;
    const droppedHere = (): ControlPlaneError | undefined => (connection === this.connections ? this.dropped : undefined);
    let snapshot: { invocationId: string; usn: number; baseDn: string; objects: Map<string, DirectoryObject> } | undefined;
    let delta: { begin: Extract<AgentMessage, { type: 'deltaBegin' }>; upserts: DirectoryObject[]; deletions: string[] } | undefined;
    const onMessage = (message: AgentMessage): void => {
      switch (message.type) {
        case 'hello':
          inbox.push({
            type: 'welcome', protocolVersion: 1, serverVersion: 't', capabilities: this.deltaCapable ? ['snapshot.v1', 'delta.v1'] : ['snapshot.v1'],
            siteId: 'site_1', sessionId: 's', maxFrameBytes: 1 << 22, heartbeatIntervalMs: 30_000, ...(this.cursor && this.deltaCapable ? { cursor: this.cursor } : {}),
          });
          return;
        case 'snapshotBegin':
          snapshot = { invocationId: message.forest.invocationId, usn: message.forest.highestCommittedUsn, baseDn: message.baseDn, objects: new Map() };
          return;
        case 'objectBatch':
          for (const o of message.objects) snapshot?.objects.set(o.objectGuid, o);
          return;
        case 'snapshotEnd':
          if (!snapshot) return;
          this.generation += 1;
          this.objects = snapshot.objects;
          this.cursor = { invocationId: snapshot.invocationId, highestUsn: snapshot.usn, generation: this.generation, baseDn: snapshot.baseDn };
          inbox.push({ type: 'snapshotCommitted', snapshotId: message.snapshotId, generation: this.generation, objectCount: this.objects.size });
          return;
        case 'deltaBegin':
          delta = { begin: message, upserts: [], deletions: [] };
          return;
        case 'deltaBatch':
          delta?.upserts.push(...message.upserts);
          delta?.deletions.push(...message.deletions);
          return;
        case 'deltaEnd':
          inbox.push(this.applyDelta(message.deltaId, delta));
          return;
        case 'heartbeat':
          return;
      }
    };
    return {
      send: async (message) => {
        const dropped = droppedHere();
        if (dropped) throw dropped;
        this.sent.push(message);
        onMessage(message);
      },
      receive: async (_timeout, waitingFor) => {
        const dropped = droppedHere();
        if (dropped) throw dropped;
        const next = inbox.shift();
        if (!next) throw new ControlPlaneError('CONTROL_PLANE.TIMEOUT', `nothing queued while waiting for ${waitingFor}`);
        return next;
      },
      close: async () => undefined,
    };
  }

  private applyDelta(deltaId: string, delta: { begin: Extract<AgentMessage, { type: 'deltaBegin' }>; upserts: DirectoryObject[]; deletions: string[] } | undefined): ServerMessage {
    const cursor = this.cursor;
    if (!delta || !cursor || delta.begin.baseGeneration !== cursor.generation) return { type: 'deltaRejected', deltaId, reason: 'baseMismatch', message: 'not current' };
    if (delta.begin.invocationId !== cursor.invocationId) return { type: 'deltaRejected', deltaId, reason: 'unknownCursor', message: 'another DC' };
    for (const o of delta.upserts) {
      if ((this.objects.get(o.objectGuid)?.usnChanged ?? -1) < o.usnChanged) this.objects.set(o.objectGuid, o);
    }
    for (const guid of delta.deletions) this.objects.delete(guid);
    this.cursor = { ...cursor, highestUsn: Math.max(cursor.highestUsn, delta.begin.toUsn) };
    return { type: 'deltaCommitted', deltaId, generation: cursor.generation, toUsn: this.cursor.highestUsn };
  }
}
