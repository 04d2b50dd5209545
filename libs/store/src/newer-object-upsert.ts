import type { Kysely } from 'kysely';
import type { DirectoryObjectsTable, StoreDatabase } from './database-schema';

/**
 * Writes object rows under the one rule every write path shares: only a newer version of an
 * object (higher uSNChanged) replaces what is stored, so re-sent frames and deltas change
 * nothing and a stale re-send cannot undo a newer one. The same version under another DN
 * replaces it too: renaming or moving a container changes the DN of everything below it but
 * not their uSNChanged, and a delta sends those objects again as the DC now names them. Inserts in statements of
 * `rowsPerStatement` rows (bound-parameter limits); returns how many rows were written.
 */
export async function upsertNewerObjects(db: Kysely<StoreDatabase>, rows: readonly DirectoryObjectsTable[], rowsPerStatement: number): Promise<number> {
  let written = 0;
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const result = await db
      .insertInto('directory_objects')
      .values(rows.slice(start, start + rowsPerStatement))
      .onConflict((oc) =>
        oc
          .columns(['generation_id', 'object_guid'])
          .doUpdateSet((eb) => ({
            distinguished_name: eb.ref('excluded.distinguished_name'),
            kind: eb.ref('excluded.kind'),
            usn_changed: eb.ref('excluded.usn_changed'),
            attributes_json: eb.ref('excluded.attributes_json'),
          }))
          .where((eb) =>
            eb.or([
              eb('excluded.usn_changed', '>', eb.ref('directory_objects.usn_changed')),
              eb.and([eb('excluded.usn_changed', '=', eb.ref('directory_objects.usn_changed')), eb('excluded.distinguished_name', '<>', eb.ref('directory_objects.distinguished_name'))]),
            ]),
          ),
      )
      .executeTakeFirst();
    written += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return written;
}
