#!/usr/bin/env node
/**
 * syncready-server: the composition root. Opens the store, starts the HTTP API and the agent
 * gateway, and shuts both down cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { openStore } from '@syncready/store';
import { ADMIN_COMMANDS, ADMIN_USAGE, runAdminCommand } from './admin/admin-commands';
import { bootstrapAdminCredential } from './admin/bootstrap-credential';
import { startControlPlane, type Logger } from './control-plane-server';
import { ENROLLMENT_COMMANDS, ENROLLMENT_USAGE, runEnrollmentCommand } from './enrollment/enrollment-commands';
import { createRedactingLogger } from './logging/redacting-logger';
import { ConfigError, loadServerConfig } from './server-config';

declare const SERVER_VERSION: string | undefined;
const VERSION = typeof SERVER_VERSION === 'string' ? SERVER_VERSION : '0.1.0-dev';

const HELP = `syncready-server ${VERSION}: the syncready control plane

Usage:
  syncready-server start [--config FILE] [--port N]
${ADMIN_USAGE}
${ENROLLMENT_USAGE}
  syncready-server --version | --help

Options:
  --config FILE   server config (JSON); default: $SYNCREADY_SERVER_CONFIG, else built-in defaults
  --port N        listen port (0 = any free port)
Environment:
  SYNCREADY_LISTEN_PORT, SYNCREADY_STORE_FILE (SQLite file), SYNCREADY_DATABASE_URL (PostgreSQL)
Agents enroll with a token ("syncready-server token create"), printed once to stdout.
On the first start of an empty store, a provider-level admin credential is created and
printed once to stderr ("bootstrap admin credential: srk_…"); only its hash is stored.
Admin commands open the store named by the same config and environment as start, and work
while the server runs.
Exit codes: 0 stopped cleanly, 2 usage or configuration error, 3 cannot listen or open the store.
`;

// Every log line goes through redaction: no secret reaches the log, whoever logged it.
const log: Logger = createRedactingLogger((line) => process.stdout.write(line));

async function main(argv: string[]): Promise<number> {
  if ((ADMIN_COMMANDS as readonly string[]).includes(argv[0] ?? '')) {
    return runAdminCommand(argv, { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) });
  }
  if ((ENROLLMENT_COMMANDS as readonly string[]).includes(argv[0] ?? '')) {
    return runEnrollmentCommand(argv, { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) });
  }
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

  let store;
  try {
    store = await openStore(config.store);
  } catch (err) {
    console.error(`syncready-server: cannot open the ${config.store.dialect} store: ${(err as Error).message}`);
    return 3;
  }
  const bootstrap = await bootstrapAdminCredential(store);
  if (bootstrap !== undefined) {
    // Printed once, here, and never logged; the store keeps only its hash.
    console.error(`bootstrap admin credential: ${bootstrap}`);
    console.error('(shown once: store it in a password manager; create more with "syncready-server credential create")');
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
