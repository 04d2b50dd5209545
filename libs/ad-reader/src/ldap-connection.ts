import { readFileSync } from 'node:fs';
import { type ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import { AdReaderError, toAdReaderError } from './ad-reader-error';

/** How to reach and authenticate to a DC. */
export interface LdapConnectionOptions {
  /** `ldaps://dc.example.com:636` or `ldap://dc.example.com:389`. */
  readonly url: string;
  /** Bind account: a DN or a UPN (`svc-syncready@example.com`). */
  readonly bindDn: string;
  readonly password: string;
  /**
   * Upgrade an `ldap://` connection with StartTLS before binding.
   * @default true
   */
  readonly startTls?: boolean;
  /**
   * Allow a bind over plain, unencrypted LDAP. Only for isolated test DCs: the bind password
   * and every attribute would cross the network in clear text.
   * @default false
   */
  readonly allowPlainLdap?: boolean;
  readonly tls?: {
    /** PEM file of the CA that issued the DC's certificate (added to Node's trusted roots). */
    readonly caFile?: string;
    /** Name to verify the certificate against when it differs from the URL's host. */
    readonly serverName?: string;
    /**
     * Verify the DC's certificate.
     * @default true
     */
    readonly verify?: boolean;
  };
  /** @default 120000 (AD's MaxQueryDuration) */
  readonly timeoutMs?: number;
  /** @default 10000 */
  readonly connectTimeoutMs?: number;
}

function tlsOptions(options: LdapConnectionOptions): ConnectionOptions {
  const tls: ConnectionOptions = { rejectUnauthorized: options.tls?.verify ?? true };
  if (options.tls?.caFile) {
    try {
      tls.ca = readFileSync(options.tls.caFile);
    } catch (err) {
      throw new AdReaderError('LDAP.CONFIG', `cannot read ldap.tls.caFile ${options.tls.caFile}: ${(err as Error).message}`, { cause: err });
    }
  }
  if (options.tls?.serverName) tls.servername = options.tls.serverName;
  return tls;
}

/** Opens a connection, applies the transport policy and binds. */
export async function connectAndBind(options: LdapConnectionOptions): Promise<Client> {
  const secure = options.url.toLowerCase().startsWith('ldaps://');
  if (!secure && !options.url.toLowerCase().startsWith('ldap://')) {
    throw new AdReaderError('LDAP.CONFIG', `ldap.url must start with ldaps:// or ldap://, got ${options.url}`);
  }
  const startTls = !secure && (options.startTls ?? true);
  if (!secure && !startTls && !options.allowPlainLdap) {
    throw new AdReaderError(
      'LDAP.CONFIG',
      `refusing to bind to ${options.url} over plain LDAP: use ldaps://, keep ldap.startTls on, or set ldap.allowPlainLdap for an isolated test DC`,
    );
  }
  const tls = secure || startTls ? tlsOptions(options) : undefined;
  const client = new Client({
    url: options.url,
    timeout: options.timeoutMs ?? 120_000,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    ...(secure && tls ? { tlsOptions: tls } : {}),
  });
  const context = { url: options.url, bindDn: options.bindDn };
  try {
    if (startTls) await client.startTLS(tls);
  } catch (err) {
    await client.unbind().catch(() => undefined);
    throw toAdReaderError(err, { ...context, operation: 'start TLS' });
  }
  try {
    await client.bind(options.bindDn, options.password);
  } catch (err) {
    await client.unbind().catch(() => undefined);
    throw toAdReaderError(err, { ...context, operation: 'bind' });
  }
  return client;
}
