import { ObjectSetDigest, type DirectoryObject, type ForestInfo } from '@syncready/directory';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { GenerationsTable, StoreDatabase } from './database-schema';
import { OBJECT_COLUMN_COUNT, toObjectRows } from './directory-object-rows';
import { upsertNewerObjects } from './newer-object-upsert';
import {
  ABANDONED_REASON,
  type BeginGenerationInput,
  type CommitMismatch,
  type CommitResult,
  type ExpectedContent,
  type Generation,
  type SnapshotRepository,
} from './snapshot-repository';
import type { StoreDialect } from './store-dialect';
import { StoreError } from './store-error';

/** Rows per statement in an insert, well inside both dialects' parameter limits. */
const MAX_ROWS_PER_INSERT = 1000;
/** Rows read per page while recomputing a digest, bounding memory on large generations. */
const DIGEST_PAGE_SIZE = 10_000;
const DIGEST_TEXT = /^[0-9a-f]{16}$/;

type GenerationRow = Selectable<GenerationsTable>;
type Db = Kysely<StoreDatabase>;

/**
 * {@link SnapshotRepository} over the query builder, for both dialects.
 *
 * Concurrency: on SQLite every transaction holds the write lock (BEGIN IMMEDIATE), so writers
 * are serialised. On PostgreSQL (READ COMMITTED) appends take a share lock on their generation
 * row and commits and discards an exclusive one, so a commit never counts while an append is
 * half done; commits also lock the site row first, serialising commits of one site. Locks are
 * always taken site before generation, so these paths cannot deadlock with one another.
 */
export class KyselySnapshotRepository implements SnapshotRepository {
  private readonly rowsPerInsert: number;

  constructor(
    private readonly db: Db,
    private readonly dialect: StoreDialect,
    private readonly now: () => Date,
  ) {
    this.rowsPerInsert = Math.min(MAX_ROWS_PER_INSERT, Math.floor(dialect.maxBindParameters / OBJECT_COLUMN_COUNT));
  }

  async beginGeneration(input: BeginGenerationInput): Promise<{ generationId: number }> {
    if (input.snapshotId === '') throw new StoreError('STORE.INVALID_ARGUMENT', 'snapshotId must not be empty');
    return this.db.transaction().execute(async (trx) => {
      const site = await trx.selectFrom('sites').select('id').where('id', '=', input.siteId).executeTakeFirst();
      if (site === undefined) throw new StoreError('STORE.NOT_FOUND', `site ${input.siteId} does not exist`);
      const inserted = await trx
        .insertInto('generations')
        .values({
          site_id: input.siteId,
          snapshot_id: input.snapshotId,
          status: 'receiving',
          base_dn: input.baseDn,
          forest_json: JSON.stringify(input.forest),
          started_at: this.now().toISOString(),
          completed_at: null,
          object_count: null,
          digest: null,
          discard_reason: null,
          // The cursor a delta continues from once this generation is current: the USN the
          // agent read before its first object, so nothing written during the read is lost.
          cursor_invocation_id: input.forest.invocationId,
          cursor_usn: input.forest.highestCommittedUsn,
          last_delta_json: null,
        })
        .onConflict((oc) => oc.columns(['site_id', 'snapshot_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted !== undefined) return { generationId: inserted.id };
      const existing = await trx
        .selectFrom('generations')
        .selectAll()
        .where('site_id', '=', input.siteId)
        .where('snapshot_id', '=', input.snapshotId)
        .executeTakeFirstOrThrow();
      if (existing.status !== 'receiving') throw closed(existing);
      return { generationId: existing.id };
    });
  }

  async appendObjects(generationId: number, objects: readonly DirectoryObject[]): Promise<void> {
    const rows = toObjectRows(generationId, objects);
    await this.db.transaction().execute(async (trx) => {
      const generation = await this.lockGeneration(trx, generationId, 'share');
      if (generation.status !== 'receiving') throw closed(generation);
      await upsertNewerObjects(trx, rows, this.rowsPerInsert);
    });
  }

  async commitGeneration(generationId: number, expected: ExpectedContent): Promise<CommitResult> {
    const expectedDigest = expected.digest.toLowerCase();
    if (!Number.isSafeInteger(expected.objectCount) || expected.objectCount < 0) {
      throw new StoreError('STORE.INVALID_ARGUMENT', `objectCount ${expected.objectCount} is not a count`);
    }
    if (!DIGEST_TEXT.test(expectedDigest)) {
      throw new StoreError('STORE.INVALID_ARGUMENT', `digest ${JSON.stringify(expected.digest)} is not 16 hex digits`);
    }
    return this.db.transaction().execute(async (trx): Promise<CommitResult> => {
      const siteId = await this.siteOf(trx, generationId);
      if (this.dialect.rowLocks) {
        await trx.selectFrom('sites').select('id').where('id', '=', siteId).forUpdate().execute();
      }
      const generation = await this.lockGeneration(trx, generationId, 'update');
      if (
        generation.status === 'complete' &&
        generation.object_count === expected.objectCount &&
        generation.digest === expectedDigest
      ) {
        return { ok: true, generation: generationId, objectCount: expected.objectCount };
      }
      if (generation.status !== 'receiving') throw closed(generation);

      const actual = await this.digestOf(trx, generationId);
      const mismatch: CommitMismatch | undefined =
        actual.count !== expected.objectCount ? 'count-mismatch' : actual.digest !== expectedDigest ? 'digest-mismatch' : undefined;
      if (mismatch !== undefined) {
        await this.markDiscarded(trx, generationId, mismatch);
        return { ok: false, reason: mismatch, actualCount: actual.count, actualDigest: actual.digest };
      }

      await this.supersedeOlder(trx, siteId, generationId);
      const completedAt = this.now().toISOString();
      await trx
        .updateTable('generations')
        .set({ status: 'complete', completed_at: completedAt, object_count: actual.count, digest: actual.digest })
        .where('id', '=', generationId)
        .execute();
      await trx.updateTable('sites').set({ last_snapshot_at: completedAt }).where('id', '=', siteId).execute();
      return { ok: true, generation: generationId, objectCount: actual.count };
    });
  }

  async discardGeneration(generationId: number, reason: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.discardIfReceiving(trx, generationId, reason);
    });
  }

  async discardIncompleteGenerations(siteId?: string): Promise<number> {
    const receiving = await this.db
      .selectFrom('generations')
      .select('id')
      .where('status', '=', sql.lit('receiving'))
      .$if(siteId !== undefined, (qb) => qb.where('site_id', '=', siteId ?? ''))
      .orderBy('id')
      .execute();
    // One transaction per generation, each locking only its own row: a commit running at the
    // same time (holding its site and generation) can then never wait on us in a cycle.
    let discarded = 0;
    for (const { id } of receiving) {
      const done = await this.db.transaction().execute((trx) => this.discardIfReceiving(trx, id, ABANDONED_REASON));
      if (done) discarded++;
    }
    return discarded;
  }

  async getGeneration(generationId: number): Promise<Generation | undefined> {
    const row = await this.db.selectFrom('generations').selectAll().where('id', '=', generationId).executeTakeFirst();
    return row === undefined ? undefined : toGeneration(row);
  }

  /** Discards a receiving generation; true when it did, false when it was already closed. */
  private async discardIfReceiving(trx: Db, generationId: number, reason: string): Promise<boolean> {
    const generation = await this.lockGeneration(trx, generationId, 'update');
    if (generation.status === 'discarded' || generation.status === 'superseded') return false;
    if (generation.status === 'complete') throw closed(generation);
    await this.markDiscarded(trx, generationId, reason);
    return true;
  }

  private async lockGeneration(trx: Db, generationId: number, mode: 'share' | 'update'): Promise<GenerationRow> {
    const row = await trx
      .selectFrom('generations')
      .selectAll()
      .where('id', '=', generationId)
      .$if(this.dialect.rowLocks && mode === 'share', (qb) => qb.forShare())
      .$if(this.dialect.rowLocks && mode === 'update', (qb) => qb.forUpdate())
      .executeTakeFirst();
    if (row === undefined) throw new StoreError('STORE.NOT_FOUND', `generation ${generationId} does not exist`);
    return row;
  }

  private async siteOf(trx: Db, generationId: number): Promise<string> {
    // site_id never changes, so reading it unlocked is safe; it tells us which site to lock.
    const row = await trx.selectFrom('generations').select('site_id').where('id', '=', generationId).executeTakeFirst();
    if (row === undefined) throw new StoreError('STORE.NOT_FOUND', `generation ${generationId} does not exist`);
    return row.site_id;
  }

  private async digestOf(trx: Db, generationId: number): Promise<{ count: number; digest: string }> {
    const digest = new ObjectSetDigest();
    let after: string | undefined;
    for (;;) {
      const page = await trx
        .selectFrom('directory_objects')
        .select(['object_guid', 'usn_changed'])
        .where('generation_id', '=', generationId)
        .$if(after !== undefined, (qb) => qb.where('object_guid', '>', after ?? ''))
        .orderBy('object_guid')
        .limit(DIGEST_PAGE_SIZE)
        .execute();
      for (const row of page) digest.add(row.object_guid, row.usn_changed);
      const last = page.at(-1);
      if (page.length < DIGEST_PAGE_SIZE || last === undefined) break;
      after = last.object_guid;
    }
    return { count: digest.size, digest: digest.toString() };
  }

  private async markDiscarded(trx: Db, generationId: number, reason: string): Promise<void> {
    await trx
      .updateTable('generations')
      .set({ status: 'discarded', discard_reason: reason })
      .where('id', '=', generationId)
      .execute();
    await trx.deleteFrom('directory_objects').where('generation_id', '=', generationId).execute();
  }

  private async supersedeOlder(trx: Db, siteId: string, generationId: number): Promise<void> {
    const open = ['complete', 'receiving'] as const;
    const older = await trx
      .selectFrom('generations')
      .select('id')
      .where('site_id', '=', siteId)
      .where('id', '<', generationId)
      .where('status', 'in', open)
      .execute();
    if (older.length === 0) return;
    const ids = older.map((row) => row.id);
    await trx
      .updateTable('generations')
      .set({ status: 'superseded' })
      .where('id', 'in', ids)
      // Re-checked after any lock wait on PostgreSQL: a generation discarded meanwhile stays so.
      .where('status', 'in', open)
      .execute();
    await trx.deleteFrom('directory_objects').where('generation_id', 'in', ids).execute();
  }
}

function closed(generation: GenerationRow): StoreError {
  return new StoreError('STORE.GENERATION_CLOSED', `generation ${generation.id} is ${generation.status}`);
}

function toGeneration(row: GenerationRow): Generation {
  return {
    id: row.id,
    siteId: row.site_id,
    snapshotId: row.snapshot_id,
    status: row.status,
    baseDn: row.base_dn,
    // Written by beginGeneration from a ForestInfo; the database holds nothing else.
    forest: JSON.parse(row.forest_json) as ForestInfo,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    objectCount: row.object_count,
    digest: row.digest,
    discardReason: row.discard_reason,
  };
}
