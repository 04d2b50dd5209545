import type { Kysely, Migration } from 'kysely';

/**
 * The sync cursor of a generation: the DC's invocationId and the highest uSNChanged the
 * generation holds every change up to, so the agent can continue with a delta. Kept on the
 * generation (the same store as the synced data), as Microsoft's uSNChanged procedure asks,
 * so the cursor and the objects it describes can never disagree. `last_delta_json` records
 * what the latest delta applied on top (counts, USN range), for operators and tests.
 */
export function syncCursorMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('generations').addColumn('cursor_invocation_id', 'text').execute();
      await db.schema.alterTable('generations').addColumn('cursor_usn', 'bigint').execute();
      await db.schema.alterTable('generations').addColumn('last_delta_json', 'text').execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('generations').dropColumn('last_delta_json').execute();
      await db.schema.alterTable('generations').dropColumn('cursor_usn').execute();
      await db.schema.alterTable('generations').dropColumn('cursor_invocation_id').execute();
    },
  };
}
