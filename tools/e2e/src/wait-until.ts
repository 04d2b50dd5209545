/** How {@link waitUntil} polls and what it reports. */
export interface WaitOptions {
  readonly timeoutMs: number;
  /** @default 250 */
  readonly intervalMs?: number;
  /** What to append to the timeout error (the processes' output), read only when it times out. */
  readonly context?: () => string;
}

/**
 * Polls `done` until it holds; past the deadline, fails naming `what` with the context, so a
 * timed-out end-to-end test shows what the agent and the control plane were saying.
 */
export async function waitUntil(what: string, done: () => Promise<boolean> | boolean, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${options.context ? `\n${options.context()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
