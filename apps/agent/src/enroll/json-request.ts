import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ControlPlaneError } from '../exit-codes';
import { type TlsTrust } from './server-trust';

/** Largest answer body read from the control plane. @default 64 KiB */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** One JSON request to the control plane over the resolved TLS trust (no redirects). */
export function jsonRequest(
  url: URL,
  options: { method: 'GET' | 'POST'; body?: unknown; trust: TlsTrust; timeoutMs: number },
): Promise<{ status: number; body: unknown }> {
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method: options.method,
        headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) },
        timeout: options.timeoutMs,
        ...(secure ? tlsOptions(options.trust) : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) req.destroy(new Error('answer too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON (a proxy's error page): keep the text for the message.
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', (err: Error & { code?: string }) => {
      const untrusted = err.code === 'CA_PIN_MISMATCH' || /certificate|self[- ]signed|ERR_TLS/i.test(`${err.code ?? ''} ${err.message}`);
      reject(new ControlPlaneError(untrusted ? 'CONTROL_PLANE.UNTRUSTED' : 'CONTROL_PLANE.UNREACHABLE', `cannot reach the control plane at ${url.origin}: ${err.message}`, { cause: err }));
    });
    req.end(payload);
  });
}

/** The TLS options of a trust decision, for https.request and https.Agent. */
export function tlsOptions(trust: TlsTrust): { ca?: Buffer | string[]; allowPartialTrustChain?: boolean; checkServerIdentity: TlsTrust['checkServerIdentity'] } {
  return {
    ...(trust.ca ? { ca: trust.ca } : {}),
    ...(trust.allowPartialTrustChain ? { allowPartialTrustChain: true } : {}),
    checkServerIdentity: trust.checkServerIdentity,
  };
}
