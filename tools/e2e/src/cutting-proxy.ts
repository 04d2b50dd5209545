import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** What happens to the next agent WebSocket once the agent has sent `afterBytes` through it. */
export interface CutPlan {
  readonly afterBytes: number;
  /** `cut` drops both sides at once; `stall` stops forwarding until {@link CuttingProxy.release}. */
  readonly action: 'cut' | 'stall';
}

/** One agent WebSocket through the proxy. */
interface AgentLink {
  /** The fault armed on it; its afterBytes count from `armedAt`. */
  plan: CutPlan | undefined;
  armedAt: number;
  /** Bytes the agent sent through it so far. */
  sent: number;
}

/**
 * A loopback TCP proxy in front of the control plane that breaks agent WebSockets on purpose:
 * each planned fault applies to the next upgrade to the agent path (the challenge requests
 * pass untouched) once the agent sent that many bytes through it; a connection that ends
 * sooner passes its fault to the next one. {@link faultLive} arms a fault on the agent's open
 * WebSocket instead (an agent in `run` mode keeps one open between cycles). Cutting destroys both
 * sockets as a dead link would; stalling holds them open and silent, so the test can kill a
 * process at a known point of the stream.
 */
export class CuttingProxy {
  private readonly plans: CutPlan[] = [];
  private readonly stalled: Socket[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly links = new Set<AgentLink>();
  private stallWaiters: (() => void)[] = [];
  /** Connections cut so far. */
  cuts = 0;

  private constructor(
    private readonly server: Server,
    private targetPort: number,
  ) {}

  /** Listens on 127.0.0.1 at a free port, forwarding to `targetPort` on 127.0.0.1. */
  static async start(targetPort: number): Promise<CuttingProxy> {
    const server = createServer();
    const proxy = new CuttingProxy(server, targetPort);
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `http://127.0.0.1:PORT` of the proxy. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Forwards later connections to another port (the restarted control plane). */
  retarget(port: number): void {
    this.targetPort = port;
  }

  /** Queues faults, one per coming agent WebSocket. */
  plan(...plans: CutPlan[]): void {
    this.plans.push(...plans);
  }

  /**
   * Arms `plan` on every agent WebSocket open now, counting `afterBytes` from this moment; then
   * queues `later` for the next upgrades, as {@link plan} does. False when none is open.
   */
  faultLive(plan: CutPlan, ...later: CutPlan[]): boolean {
    for (const link of this.links) {
      link.plan = plan;
      link.armedAt = link.sent;
    }
    this.plans.push(...later);
    return this.links.size > 0;
  }

  /** Resolves once a stalled connection is held. */
  whenStalled(): Promise<void> {
    if (this.stalled.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.stallWaiters.push(resolve));
  }

  /** Drops the stalled connections (their peers see the link die). */
  release(): void {
    for (const socket of this.stalled.splice(0)) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
    this.sockets.add(client).add(upstream);
    const link: AgentLink = { plan: undefined, armedAt: 0, sent: 0 };
    const drop = (): void => {
      // A connection that ended before its fault point (an empty delta) hands the fault on.
      if (link.plan) this.plans.unshift(link.plan);
      link.plan = undefined;
      this.links.delete(link);
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    let first = true;
    let held = false;
    client.on('data', (chunk: Buffer) => {
      if (first) {
        first = false;
        // The upgrade itself, not the challenge request that precedes it.
        if (/^GET \/agent\/v1[ ?]/.test(chunk.toString('latin1', 0, 64))) {
          link.plan = this.plans.shift();
          this.links.add(link);
        }
      }
      if (held) return;
      const plan = link.plan;
      const sent = link.sent - link.armedAt;
      if (plan && sent + chunk.length > plan.afterBytes) {
        // Forward up to the fault point, so the control plane holds a partial stream.
        upstream.write(chunk.subarray(0, plan.afterBytes - sent));
        link.plan = undefined;
        if (plan.action === 'cut') {
          this.cuts += 1;
          return drop();
        }
        held = true;
        upstream.pause();
        this.stalled.push(client);
        for (const resolve of this.stallWaiters.splice(0)) resolve();
        return;
      }
      link.sent += chunk.length;
      upstream.write(chunk);
    });
  }
}
