/** Where progress goes; a terminal's stderr in production, a fake in tests. */
export interface ProgressSink {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * "N objects read, R/s" on one rewritten stderr line, at most every `intervalMs`, and only when
 * stderr is a terminal: a script piping stderr to a log gets no carriage-return noise.
 */
export class ScanProgress {
  private objects = 0;
  private lastDraw = 0;
  private drawn = false;
  private readonly started: number;

  constructor(
    private readonly sink: ProgressSink,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = 250,
  ) {
    this.started = now();
  }

  get enabled(): boolean {
    return this.sink.isTTY === true;
  }

  add(count: number): void {
    this.objects += count;
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    this.draw(now, 'reading');
  }

  /** Clears the progress line so the report and errors start on a clean line. */
  done(): void {
    if (this.enabled && this.drawn) this.sink.write('\r\u001b[K');
  }

  private draw(now: number, what: string): void {
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(this.objects / seconds);
    this.sink.write(`\r\u001b[K${what}: ${this.objects.toLocaleString('en-US')} objects, ${rate.toLocaleString('en-US')}/s`);
    this.drawn = true;
  }
}
