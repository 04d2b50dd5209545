import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Repository root. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const AGENT_BIN = join(REPO_ROOT, 'apps', 'agent', 'dist', 'main.js');
const SERVER_BIN = join(REPO_ROOT, 'apps', 'control-plane', 'dist', 'main.js');

/**
 * A fresh temporary directory for one test file. The e2e test environment removes it once the
 * file is done, unless one of its tests failed.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `syncready-${prefix}-`));
  (globalThis as { __syncreadyTempDirs?: string[] }).__syncreadyTempDirs?.push(dir);
  return dir;
}

/** A control plane running as its own process (`syncready-server start`). */
export interface ServerProcess {
  readonly url: string;
  readonly wsUrl: string;
  /** The SQLite store the server runs on (admin commands open it too). */
  readonly storeFile: string;
  /** The bootstrap admin credential printed at the first start of the store; undefined on later starts. */
  readonly credential: string | undefined;
  readonly output: () => string;
  /** Its process id (to read /proc/PID or send signals). */
  readonly pid: number;
  /** Sends a signal, e.g. SIGSTOP/SIGCONT to stall it and let it go on. */
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

/**
 * Starts `syncready-server start --port 0` and waits for the line that names its URL (http or,
 * with `tls` in the config, https). Agents get in by enrolling (see `agent-enrollment.ts`).
 */
export async function startServer(options: { storeFile: string; config?: object }): Promise<ServerProcess> {
  const dir = tempDir('server');
  const configFile = join(dir, 'server.json');
  writeFileSync(configFile, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, ...options.config }));
  const child = spawn(process.execPath, [SERVER_BIN, 'start', '--config', configFile], {
    env: {
      ...process.env,
      SYNCREADY_STORE_FILE: options.storeFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (): void => {
      const match = /listening on (https?:\/\/[^\s]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    storeFile: options.storeFile,
    credential: /bootstrap admin credential: (srk_\S+)/.exec(output)?.[1],
    output: () => output,
    pid: child.pid as number,
    signal: (signal) => sendSignal(child, signal),
    stop: () => stopChild(child, 'SIGTERM'),
    kill: async () => {
      await stopChild(child, 'SIGKILL');
    },
  };
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolvePromise) => {
    child.once('exit', (code) => resolvePromise(code));
    // A stopped process (SIGSTOP) acts on SIGTERM only once it runs again.
    child.kill('SIGCONT');
    child.kill(signal);
  });
}

function sendSignal(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

/** The outcome of one agent run. */
export interface AgentRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `syncready-agent ARGS` to completion. */
export function runAgent(args: string[], env: Record<string, string> = {}): Promise<AgentRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [AGENT_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** An agent left running (`syncready-agent run` without --once). */
export interface AgentProcess {
  /** Everything it printed to stdout so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Its process id (to read /proc/PID or send signals). */
  readonly pid: number;
  /** Sends a signal, e.g. SIGSTOP/SIGCONT to stall it and let it go on. */
  signal(signal: NodeJS.Signals): void;
  /** Stops it (SIGTERM) and resolves with its exit code. */
  stop(): Promise<number | null>;
  /** Kills it (SIGKILL), as a crash or power loss would. */
  kill(): Promise<void>;
  /** Resolves with its exit code once it ended by itself. */
  exited(): Promise<number | null>;
}

/** Starts `syncready-agent ARGS` and leaves it running; stop it in teardown. */
export function startAgent(args: string[], env: Record<string, string> = {}): AgentProcess {
  const child = spawn(process.execPath, [AGENT_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<number | null>((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    pid: child.pid as number,
    signal: (signal) => sendSignal(child, signal),
    stop: () => stopChild(child, 'SIGTERM'),
    kill: async () => {
      await stopChild(child, 'SIGKILL');
    },
    exited: () => exit,
  };
}

/** Writes an agent config file and returns its path. */
export function writeAgentConfig(dir: string, config: object, name = 'agent.json'): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Runs `syncready-server ARGS` (an admin command) to completion on the given SQLite store. */
export function runServerCommand(args: string[], storeFile: string): Promise<AgentRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [SERVER_BIN, ...args], { env: { ...process.env, SYNCREADY_STORE_FILE: storeFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
