import { MAX_FRAME_BYTES } from '@syncready/protocol';
import { type DirectoryObject } from '@syncready/directory';

/**
 * Groups objects into frames of at most `batchSize` objects and about half the frame limit
 * (leaving room for protobuf overhead on top of the raw text), numbering them 1, 2, …
 */
export class FrameBatcher {
  private pending: DirectoryObject[] = [];
  private pendingBytes = 0;
  /** Sequence of the last frame flushed (0 before the first). */
  sequence = 0;

  /**
   * @param batchSize objects per frame. @default 500
   * @param emit sends one frame of objects with its sequence.
   */
  constructor(
    private readonly emit: (sequence: number, objects: DirectoryObject[]) => Promise<void>,
    private readonly batchSize = 500,
    private readonly maxBatchBytes = MAX_FRAME_BYTES / 2,
  ) {}

  /** Adds an object; sends a frame when the batch is full. */
  async add(object: DirectoryObject): Promise<void> {
    this.pending.push(object);
    this.pendingBytes += approximateSize(object);
    if (this.pending.length >= this.batchSize || this.pendingBytes >= this.maxBatchBytes) await this.flush();
  }

  /** Sends what is pending, if anything. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    this.sequence += 1;
    const objects = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    await this.emit(this.sequence, objects);
  }
}

/** UTF-16 length of an object's text: an upper-bound-ish proxy for its encoded size. */
function approximateSize(object: DirectoryObject): number {
  let size = object.distinguishedName.length + 64;
  const attributes = object.attributes;
  for (const name in attributes) {
    if (!Object.hasOwn(attributes, name)) continue;
    size += name.length + 4;
    for (const value of attributes[name] as readonly string[]) size += value.length * 2 + 4;
  }
  return size;
}
