/** Exit codes of syncready-agent (ARCHITECTURE.md, "Stable interfaces"). */
export const ExitCode = {
  OK: 0,
  /** Findings at or above --fail-on (scan). */
  FINDINGS: 1,
  /** Usage, configuration or input error. */
  USAGE: 2,
  /** Connection or authentication failure (DC or control plane). */
  CONNECTION: 3,
} as const;

/** A problem with how the agent was called or configured. */
export class UsageError extends Error {
  readonly code = 'AGENT.USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The control plane could not be reached, refused the agent, or broke off. */
export class ControlPlaneError extends Error {
  constructor(
    readonly code: 'CONTROL_PLANE.UNREACHABLE' | 'CONTROL_PLANE.UNTRUSTED' | 'CONTROL_PLANE.REFUSED' | 'CONTROL_PLANE.CLOSED' | 'CONTROL_PLANE.TIMEOUT' | 'CONTROL_PLANE.REJECTED' | 'CONTROL_PLANE.SNAPSHOT_EXPIRED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ControlPlaneError';
  }
}
