import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Wall time and peak RSS of one child process run to completion. */
export interface ProcessTiming {
  readonly seconds: number;
  /** Peak resident set size in MiB, from GNU time's %M (0 if unavailable). */
  readonly peakRssMiB: number;
  readonly code: number | null;
  readonly stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs a command under `/usr/bin/time -f %M` (when present) and times it. Output goes to
 * /dev/null so the baseline and our binary pay the same (nothing) for printing.
 */
export function timeProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ProcessTiming> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const timed = existsSync(GNU_TIME);
    const child = timed
      ? spawn(GNU_TIME, ['-f', 'PEAK_RSS_KB=%M', command, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const kb = Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? 0);
      resolve({ seconds, peakRssMiB: kb / 1024, code, stderr });
    });
  });
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
