import { readFileSync, statSync } from 'node:fs';

/*
 * What Linux says about a running process, read from /proc: memory and I/O counters of the
 * agent while a test stalls the control plane.
 */

/** Resident set size in bytes (VmRSS of /proc/PID/status). */
export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status (has the process exited?)`);
  return Number(match[1]) * 1024;
}

/** Bytes the process passed to read()/recv() and write()/send() syscalls so far (/proc/PID/io). */
export function ioBytes(pid: number): { read: number; written: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string): number => {
    const match = new RegExp(`^${name}: (\\d+)$`, 'm').exec(io);
    if (!match) throw new Error(`no ${name} in /proc/${pid}/io`);
    return Number(match[1]);
  };
  return { read: field('rchar'), written: field('wchar') };
}

/** Size of a file in bytes; 0 when it does not exist. */
export function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** `n` bytes as MiB with one decimal, for messages. */
export function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
