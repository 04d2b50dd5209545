import { createReadStream } from 'node:fs';
import { appendFile, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decodeAgentBody, FrameDecoder, type AgentMessage } from '@syncready/protocol';

/** Options of {@link FrameSpool}. */
export interface FrameSpoolOptions {
  /** File the frames go to once memory holds more than `maxMemoryBytes`; removed when all are acknowledged. */
  readonly file: string;
  /** Encoded bytes of unacknowledged frames held in memory before spilling. @default 4194304 (4 MiB) */
  readonly maxMemoryBytes?: number;
}

interface HeldFrame {
  readonly sequence: number;
  readonly bytes: Uint8Array;
}

/**
 * The frames of one stream the control plane has not acknowledged yet, in sequence order, so
 * they can be sent again after a reconnect. Memory stays under `maxMemoryBytes`: beyond it the
 * frames are appended to a spool file of length-delimited frames (the wire format, read back
 * with FrameDecoder), dropped only once everything in the file is acknowledged.
 */
export class FrameSpool {
  private readonly maxMemoryBytes: number;
  private memory: HeldFrame[] = [];
  private memoryBytes = 0;
  /** Highest sequence written to the file; 0 while the file is empty or absent. */
  private spilledThrough = 0;
  private acked = 0;

  constructor(private readonly options: FrameSpoolOptions) {
    this.maxMemoryBytes = options.maxMemoryBytes ?? 4 * 1024 * 1024;
    if (!(this.maxMemoryBytes > 0)) throw new RangeError(`maxMemoryBytes must be positive (got ${this.maxMemoryBytes})`);
  }

  /** Highest sequence acknowledged so far (cumulative). */
  get acknowledged(): number {
    return this.acked;
  }

  /** Bytes held in memory right now (tests and logs). */
  get heldBytes(): number {
    return this.memoryBytes;
  }

  /** Keeps the frame numbered `sequence` (encoded with encodeAgentMessage); sequences must increase. */
  async append(sequence: number, bytes: Uint8Array): Promise<void> {
    if (sequence <= this.acked) return;
    this.memory.push({ sequence, bytes });
    this.memoryBytes += bytes.byteLength;
    if (this.memoryBytes > this.maxMemoryBytes) await this.spill();
  }

  /** Everything up to and including `sequence` is committed by the control plane. */
  async acknowledge(sequence: number): Promise<void> {
    if (sequence <= this.acked) return;
    this.acked = sequence;
    while (this.memory.length > 0 && (this.memory[0] as HeldFrame).sequence <= sequence) {
      this.memoryBytes -= (this.memory.shift() as HeldFrame).bytes.byteLength;
    }
    if (this.spilledThrough > 0 && this.spilledThrough <= sequence) await this.dropFile();
  }

  /** The unacknowledged frames after `after`, oldest first: the file's, then memory's. */
  async *replay(after: number): AsyncGenerator<AgentMessage> {
    const from = Math.max(after, this.acked);
    if (this.spilledThrough > from) {
      const decoder = new FrameDecoder();
      for await (const chunk of createReadStream(this.options.file)) {
        for (const body of decoder.push(chunk as Buffer)) {
          const message = decodeAgentBody(body);
          if (sequenceOf(message) > from) yield message;
        }
      }
      decoder.end();
    }
    for (const frame of [...this.memory]) {
      if (frame.sequence > from) yield decodeAgentBody(new FrameDecoder().push(frame.bytes)[0] as Uint8Array);
    }
  }

  /** Forgets every frame and removes the file (the stream committed or was abandoned). */
  async clear(): Promise<void> {
    this.memory = [];
    this.memoryBytes = 0;
    this.acked = 0;
    await this.dropFile();
  }

  private async spill(): Promise<void> {
    await mkdir(dirname(this.options.file), { recursive: true });
    await appendFile(this.options.file, Buffer.concat(this.memory.map((f) => f.bytes)), { mode: 0o600 });
    this.spilledThrough = (this.memory[this.memory.length - 1] as HeldFrame).sequence;
    this.memory = [];
    this.memoryBytes = 0;
  }

  private async dropFile(): Promise<void> {
    this.spilledThrough = 0;
    await rm(this.options.file, { force: true });
  }
}

/** The sequence a data frame carries; 0 for frames without one. */
export function sequenceOf(message: AgentMessage): number {
  return 'sequence' in message && typeof message.sequence === 'number' ? message.sequence : 0;
}
