import { spawn } from 'node:child_process';
import { sambaDcScript } from './dc-connection';
import { SambaDcError } from './samba-dc-error';

/** Options for {@link runSambaDc}. */
export interface RunSambaDcOptions {
  /** State directory, passed to the script as `SAMBA_DC_DIR`. @default the script's own default */
  readonly stateDir?: string;
  /** Where `save` and `restore` keep archives, passed as `SYNCREADY_CACHE_DIR`. @default the script's own default */
  readonly cacheDir?: string;
  /** Kill the script after this long. @default 600000 (10 min: `ensure` on a fresh machine installs packages) */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 600_000;
/** Bounds what is kept of the script's output; it prints a few lines per command. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/**
 * Runs `tools/samba-dc/samba-dc ARGS…` and resolves with its stdout. Rejects with a
 * {@link SambaDcError} `SAMBA_DC.COMMAND_FAILED` carrying the exit code and stderr when it
 * exits non-zero (2 usage/not root, 3 port taken or DC not up) or times out.
 */
export function runSambaDc(args: readonly string[], options: RunSambaDcOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const env = { ...process.env };
  if (options.stateDir !== undefined) env['SAMBA_DC_DIR'] = options.stateDir;
  if (options.cacheDir !== undefined) env['SYNCREADY_CACHE_DIR'] = options.cacheDir;
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [sambaDcScript(), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let kept = 0;
    const keep = (into: Buffer[]) => (chunk: Buffer) => {
      if (kept + chunk.length > MAX_OUTPUT_BYTES) return;
      kept += chunk.length;
      into.push(chunk);
    };
    child.stdout.on('data', keep(stdout));
    child.stderr.on('data', keep(stderr));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new SambaDcError('SAMBA_DC.COMMAND_FAILED', `could not run samba-dc ${args.join(' ')}: ${error.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const err = Buffer.concat(stderr).toString('utf8').trim();
      if (code === 0 && !timedOut) {
        resolvePromise(Buffer.concat(stdout).toString('utf8'));
        return;
      }
      const why = timedOut ? `timed out after ${timeoutMs} ms` : `exited with ${code}`;
      reject(new SambaDcError('SAMBA_DC.COMMAND_FAILED', `samba-dc ${args.join(' ')} ${why}${err ? `:\n${err}` : ''}`, code));
    });
  });
}
