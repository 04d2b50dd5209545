#!/usr/bin/env node
/**
 * syncready-server: the composition root. Opens the store, starts the HTTP API and the agent
 * gateway, and shuts both down cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { openStore } from '@syncready/store';
import { startControlPlane, type Logger } from './control-plane-server';
import { ConfigError, loadServerConfig } from './server-config';

declare const SERVER_VERSION: string | undefined;
const VERSION = typeof SERVER_VERSION === 'string' ? SERVER_VERSION : '0.1.0-dev';

const HELP = `syncready-server ${VERSION}: the syncready control plane

Usage:
  syncready-server start [--config FILE] [--port N]
  syncready-server --version | --help

Options:
  --config FILE   server config (JSON); default: $SYNCREADY_SERVER_CONFIG, else built-in defaults
  --port N        listen port (0 = any free port)
Environment:
  SYNCREADY_LISTEN_PORT, SYNCREADY_STORE_FILE (SQLite file), SYNCREADY_DATABASE_URL (PostgreSQL),
  SYNCREADY_SITE_KEYS (name=key,name2=key2)
Exit codes: 0 stopped cleanly, 2 usage or configuration error, 3 cannot listen or open the store.
`;

const log: Logger = (event, fields) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.version) {
    console.log(VERSION);
    return 0;
  }
  if (positionals.join(' ') !== 'start') {
    throw new ConfigError(positionals.length ? `unknown command "${positionals.join(' ')}"; see syncready-server --help` : 'no command given; see syncready-server --help');
  }
  const config = loadServerConfig(values.config ?? process.env['SYNCREADY_SERVER_CONFIG']);
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('--port must be a port number');
    config.listen.port = port;
  }
  if (config.sites.length === 0) log('config.no_sites', { message: 'no site keys configured: agents cannot connect until sites[] or SYNCREADY_SITE_KEYS is set' });

  let store;
  try {
    store = await openStore(config.store);
  } catch (err) {
    console.error(`syncready-server: cannot open the ${config.store.dialect} store: ${(err as Error).message}`);
    return 3;
  }
  let plane;
  try {
    plane = await startControlPlane({ config, store, version: VERSION, log });
  } catch (err) {
    await store.close();
    console.error(`syncready-server: cannot listen on ${config.listen.host}:${config.listen.port}: ${(err as Error).message}`);
    return 3;
  }
  log('server.started', { url: plane.url, store: config.store.dialect, version: VERSION });
  console.error(`syncready-server listening on ${plane.url} (API ${plane.url}/api/v1, agents ${plane.url.replace(/^http/, 'ws')}/agent/v1)`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('server.stopping', {});
  await plane.close();
  await store.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const usage = err instanceof ConfigError || (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'));
    console.error(`syncready-server: ${err instanceof Error ? err.message : String(err)}`);
    if (!usage && err instanceof Error && err.stack) console.error(err.stack);
    process.exit(usage ? 2 : 70);
  },
);
