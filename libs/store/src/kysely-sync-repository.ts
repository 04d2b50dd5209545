import { isGuid } from '@syncready/directory';
import { sql, type Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { OBJECT_COLUMN_COUNT, toObjectRows } from './directory-object-rows';
import { upsertNewerObjects } from './newer-object-upsert';
import type { StoreDialect } from './store-dialect';
import { StoreError } from './store-error';
import type { DeltaInput, DeltaRecord, DeltaResult, SyncCursor, SyncRepository } from './sync-repository';

type Db = Kysely<StoreDatabase>;

/** Rows per statement, well inside both dialects' parameter limits. */
const MAX_ROWS_PER_STATEMENT = 1000;

/**
 * {@link SyncRepository} over the query builder, for both dialects. A delta locks the site row
 * first and then its current generation (PostgreSQL), the same order commits use, so a delta
 * and a snapshot commit of one site are serialised and cannot deadlock; on SQLite every
 * transaction holds the write lock.
 */
export class KyselySyncRepository implements SyncRepository {
  private readonly rowsPerStatement: number;

  constructor(
    private readonly db: Db,
    private readonly dialect: StoreDialect,
    private readonly now: () => Date,
  ) {
    this.rowsPerStatement = Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(dialect.maxBindParameters / OBJECT_COLUMN_COUNT));
  }

  async getCursor(siteId: string): Promise<SyncCursor | undefined> {
    const row = await this.current(this.db, siteId, false);
    return row === undefined ? undefined : toCursor(row);
  }

  async lastDelta(siteId: string): Promise<DeltaRecord | undefined> {
    const row = await this.current(this.db, siteId, false);
    // Written by applyDelta from a DeltaRecord; the database holds nothing else.
    return row?.last_delta_json ? (JSON.parse(row.last_delta_json) as DeltaRecord) : undefined;
  }

  async applyDelta(siteId: string, delta: DeltaInput): Promise<DeltaResult> {
    for (const guid of delta.deletions) {
      if (!isGuid(guid) || guid !== guid.toLowerCase()) throw new StoreError('STORE.INVALID_ARGUMENT', `deletion ${JSON.stringify(guid)} is not a lower-case canonical GUID`);
    }
    if (!Number.isSafeInteger(delta.toUsn) || !Number.isSafeInteger(delta.fromUsn) || delta.fromUsn < 1 || delta.toUsn < delta.fromUsn - 1) {
      throw new StoreError('STORE.INVALID_ARGUMENT', `USN range [${delta.fromUsn}, ${delta.toUsn}] is not a range`);
    }
    return this.db.transaction().execute(async (trx): Promise<DeltaResult> => {
      if (this.dialect.rowLocks) await trx.selectFrom('sites').select('id').where('id', '=', siteId).forUpdate().execute();
      const generation = await this.current(trx, siteId, true);
      if (generation === undefined) return { ok: false, reason: 'unknown-cursor', message: `site ${siteId} has no committed generation` };
      if (generation.id !== delta.baseGeneration) {
        return { ok: false, reason: 'base-mismatch', message: `generation ${delta.baseGeneration} is not current; ${generation.id} is` };
      }
      const cursor = toCursor(generation);
      if (cursor === undefined || cursor.invocationId !== delta.invocationId || delta.fromUsn > cursor.highestUsn + 1) {
        return {
          ok: false,
          reason: 'unknown-cursor',
          message: `the delta starts at ${delta.invocationId}@${delta.fromUsn}, the generation holds ${cursor ? `${cursor.invocationId}@${cursor.highestUsn}` : 'no cursor'}`,
        };
      }
      const applied = await this.upsert(trx, generation.id, delta);
      const removed = await this.remove(trx, generation.id, delta.deletions);
      const record: DeltaRecord = {
        deltaId: delta.deltaId,
        fromUsn: delta.fromUsn,
        toUsn: delta.toUsn,
        upserts: delta.upserts.length,
        deletions: delta.deletions.length,
        applied,
        removed,
        appliedAt: this.now().toISOString(),
      };
      await trx
        .updateTable('generations')
        // The cursor never moves back: a replayed older delta leaves it where it is.
        .set({ cursor_usn: Math.max(cursor.highestUsn, delta.toUsn), last_delta_json: JSON.stringify(record) })
        .where('id', '=', generation.id)
        .execute();
      return { ok: true, generation: generation.id, record };
    });
  }

  /** Writes objects newer than what is stored; returns how many rows were written. */
  private async upsert(trx: Db, generationId: number, delta: DeltaInput): Promise<number> {
    // A GUID both changed and deleted was deleted last (tombstones are read after changes).
    const deleted = new Set(delta.deletions);
    const rows = toObjectRows(generationId, delta.upserts.filter((o) => !deleted.has(o.objectGuid)));
    return upsertNewerObjects(trx, rows, this.rowsPerStatement);
  }

  private async remove(trx: Db, generationId: number, guids: readonly string[]): Promise<number> {
    let removed = 0;
    const sorted = [...new Set(guids)].sort();
    for (let start = 0; start < sorted.length; start += this.rowsPerStatement) {
      const result = await trx
        .deleteFrom('directory_objects')
        .where('generation_id', '=', generationId)
        .where('object_guid', 'in', sorted.slice(start, start + this.rowsPerStatement))
        .executeTakeFirst();
      removed += Number(result.numDeletedRows);
    }
    return removed;
  }

  private current(db: Db, siteId: string, lock: boolean) {
    return db
      .selectFrom('generations')
      .select(['id', 'base_dn', 'cursor_invocation_id', 'cursor_usn', 'last_delta_json'])
      .where('site_id', '=', siteId)
      .where('status', '=', sql.lit('complete'))
      .$if(lock && this.dialect.rowLocks, (qb) => qb.forUpdate())
      .executeTakeFirst();
  }
}

function toCursor(row: { id: number; base_dn: string; cursor_invocation_id: string | null; cursor_usn: number | null }): SyncCursor | undefined {
  if (row.cursor_invocation_id === null || row.cursor_usn === null) return undefined;
  return { invocationId: row.cursor_invocation_id, highestUsn: Number(row.cursor_usn), generation: row.id, baseDn: row.base_dn };
}
