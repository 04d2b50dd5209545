import { openStore, type Store } from '@syncready/store';
import { loadServerConfig } from './server-config';

/** Where a server sub-command writes: secrets go to stdout once, everything else to stderr. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Opens the store named by the same config and environment as `start` (so a sub-command works
 * beside a running server: SQLite in WAL mode, or PostgreSQL), runs `fn`, and closes it.
 */
export async function withConfiguredStore<T>(configPath: string | undefined, env: NodeJS.ProcessEnv, fn: (store: Store) => Promise<T>): Promise<T> {
  const config = loadServerConfig(configPath ?? env['SYNCREADY_SERVER_CONFIG'], env);
  const store = await openStore(config.store);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
