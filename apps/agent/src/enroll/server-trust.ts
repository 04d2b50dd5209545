import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkServerIdentity, connect, type PeerCertificate } from 'node:tls';
import { ControlPlaneError, UsageError } from '../exit-codes';

/**
 * How the agent decides to trust the control plane's TLS certificate.
 *
 * A CA pin is the SHA-256 of the server certificate's SubjectPublicKeyInfo (DER), written as
 * 64 hex digits (colons allowed, any case) or as 44 characters of base64. It survives a
 * certificate renewal that keeps the key. To compute it from the certificate file:
 * `openssl x509 -in server.crt -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256`.
 */
export interface TrustOptions {
  /** PEM of the CA that issued the server certificate (server.caFile). */
  readonly caFile?: string;
  /** SPKI SHA-256 pin (--ca-pin). */
  readonly caPin?: string;
}

/** TLS options for https/wss requests: trust anchors and the pin check. */
export interface TlsTrust {
  readonly ca?: Buffer | string[];
  /**
   * Lets a pinned certificate that is not a self-signed root be the trust anchor (OpenSSL's
   * partial-chain flag); set only when the anchor is the pinned chain itself.
   */
  readonly allowPartialTrustChain?: boolean;
  checkServerIdentity(host: string, cert: PeerCertificate): Error | undefined;
}

/** Normalises a pin to lower-case hex; a UsageError when it is neither hex nor base64 of 32 bytes. */
export function parseCaPin(pin: string): string {
  // One separator only: a base64 pin may itself start with '/'.
  const trimmed = pin.trim().replace(/^sha256[:/]/i, '');
  const hex = trimmed.replace(/:/g, '');
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return hex.toLowerCase();
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes.toString('hex');
  }
  throw new UsageError('--ca-pin must be the SHA-256 of the server certificate public key: 64 hex digits or 44 base64 characters');
}

/** The pin (lower-case hex) of a certificate's public key, from its SPKI DER. */
export function pinOfSpki(spkiDer: Buffer): string {
  return createHash('sha256').update(spkiDer).digest('hex');
}

/** The pin of a PEM certificate. */
export function pinOfCertificate(pem: string | Buffer): string {
  return pinOfSpki(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }));
}

/** A checkServerIdentity that runs Node's host name check and then compares the pin. */
export function pinnedIdentityCheck(pin: string | undefined): TlsTrust['checkServerIdentity'] {
  return (host, cert) => {
    const hostError = checkServerIdentity(host, cert);
    if (hostError) return hostError;
    if (pin === undefined) return undefined;
    // cert.pubkey is not the SPKI for every key type (EC: the bare point); hash the SPKI DER.
    const actual = cert.raw ? pinOfCertificate(cert.raw) : '(no certificate)';
    if (actual !== pin) {
      return Object.assign(new Error(`the server certificate's public key does not match --ca-pin (its pin is ${actual})`), { code: 'CA_PIN_MISMATCH' });
    }
    return undefined;
  };
}

/**
 * Resolves the trust for `url`. With a CA file, the chain must lead to it (and match the pin
 * when one is given). With only a pin, the certificate chain the server presents is fetched
 * once without sending anything, checked against the pin, and then used as the only trust
 * anchor of the real connection, which checks the pin again: nothing is sent to a server
 * whose key does not match.
 */
export async function resolveTrust(url: URL, options: TrustOptions, timeoutMs = 15_000): Promise<TlsTrust> {
  const pin = options.caPin === undefined ? undefined : parseCaPin(options.caPin);
  if (options.caFile) {
    let ca: Buffer;
    try {
      ca = readFileSync(options.caFile);
    } catch (err) {
      throw new UsageError(`cannot read server.caFile ${options.caFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    return { ca, checkServerIdentity: pinnedIdentityCheck(pin) };
  }
  if (pin === undefined) return { checkServerIdentity: pinnedIdentityCheck(undefined) };
  const chain = await presentedChain(url, timeoutMs);
  const leaf = chain[0];
  if (!leaf || pinOfCertificate(leaf) !== pin) {
    throw new ControlPlaneError('CONTROL_PLANE.UNTRUSTED', `the certificate of ${url.host} does not match --ca-pin${leaf ? ` (its pin is ${pinOfCertificate(leaf)})` : ''}`);
  }
  return { ca: chain, allowPartialTrustChain: true, checkServerIdentity: pinnedIdentityCheck(pin) };
}

/** The certificates the server presents (leaf first), as PEM; the connection sends no data. */
function presentedChain(url: URL, timeoutMs: number): Promise<string[]> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, servername: /^[\d.:]+$/.test(host) ? undefined : host, rejectUnauthorized: false, timeout: timeoutMs });
    const fail = (err: Error): void => {
      socket.destroy();
      reject(new ControlPlaneError('CONTROL_PLANE.UNREACHABLE', `cannot reach ${url.host} to check its certificate: ${err.message}`, { cause: err }));
    };
    socket.once('error', fail);
    socket.once('timeout', () => fail(new Error(`no TLS handshake within ${timeoutMs} ms`)));
    socket.once('secureConnect', () => {
      const pems: string[] = [];
      const seen = new Set<string>();
      for (let cert: PeerCertificate | undefined = socket.getPeerCertificate(true); cert?.raw && !seen.has(cert.fingerprint256); cert = (cert as { issuerCertificate?: PeerCertificate }).issuerCertificate) {
        seen.add(cert.fingerprint256);
        pems.push(`-----BEGIN CERTIFICATE-----\n${cert.raw.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`);
      }
      socket.destroy();
      resolve(pems);
    });
  });
}
