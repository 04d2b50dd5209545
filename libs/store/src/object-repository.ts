import { OBJECT_KINDS, type DirectoryObject, type ForestInfo, type ObjectKind } from '@syncready/directory';
import { sql, type Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { fromObjectRow } from './directory-object-rows';
import { inScope, type AccessScope } from './access-scope';
import { StoreError } from './store-error';

/** Largest page {@link ObjectRepository.listObjects} serves. */
export const MAX_PAGE_SIZE = 5000;

/** One page request of {@link ObjectRepository.listObjects}. */
export interface ListObjectsQuery {
  /** Only objects of this kind. */
  kind?: ObjectKind;
  /** Page size, 1 to {@link MAX_PAGE_SIZE}. */
  limit: number;
  /** Cursor: the `nextCursor` of the previous page (its last objectGuid). */
  after?: string;
}

/** One page of objects; `nextCursor` is null on the last page. */
export interface ObjectPage {
  items: DirectoryObject[];
  nextCursor: string | null;
}

/** What a site's current generation holds, at a glance. */
export interface SiteSummary {
  siteId: string;
  /** The current generation; null before the first commit. */
  generation: number | null;
  lastSnapshotAt: string | null;
  /** Objects per kind, every kind present (zero when none). */
  counts: Record<ObjectKind, number>;
  total: number;
  forest: ForestInfo | null;
  baseDn: string | null;
}

/**
 * Reads the objects of each site's current generation; never a receiving or older one. Every
 * read takes the caller's {@link AccessScope}: a site outside it reads as missing.
 */
export interface ObjectRepository {
  /**
   * A page of the current generation's objects ordered by objectGuid (keyset pagination).
   * Each page is one statement, so it is consistent in itself; if a newer generation becomes
   * current between pages, later pages come from it. An empty page when the site has no
   * current generation; STORE.NOT_FOUND when the site does not exist (in the scope);
   * STORE.INVALID_ARGUMENT for a limit out of range.
   */
  listObjects(siteId: string, query: ListObjectsQuery, scope: AccessScope): Promise<ObjectPage>;
  /** One object of the current generation, or undefined. */
  getObject(siteId: string, objectGuid: string, scope: AccessScope): Promise<DirectoryObject | undefined>;
  /** Counts and forest facts of the current generation; undefined when the site does not exist (in the scope). */
  summary(siteId: string, scope: AccessScope): Promise<SiteSummary | undefined>;
}

/** {@link ObjectRepository} over the query builder, for both dialects. */
export class KyselyObjectRepository implements ObjectRepository {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async listObjects(siteId: string, query: ListObjectsQuery, scope: AccessScope): Promise<ObjectPage> {
    const { kind, limit, after } = query;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new StoreError('STORE.INVALID_ARGUMENT', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`);
    }
    const rows = await this.currentObjects(siteId, scope)
      .$if(kind !== undefined, (qb) => qb.where('d.kind', '=', kind ?? 'user'))
      .$if(after !== undefined, (qb) => qb.where('d.object_guid', '>', after ?? ''))
      .orderBy('d.object_guid')
      // One more than asked: tells whether a next page exists without another round trip.
      .limit(limit + 1)
      .execute();
    if (rows.length === 0 && !(await this.siteExists(siteId, scope))) {
      throw new StoreError('STORE.NOT_FOUND', `site ${siteId} does not exist`);
    }
    const items = rows.slice(0, limit).map(fromObjectRow);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last !== undefined ? last.objectGuid : null };
  }

  async getObject(siteId: string, objectGuid: string, scope: AccessScope): Promise<DirectoryObject | undefined> {
    const row = await this.currentObjects(siteId, scope).where('d.object_guid', '=', objectGuid).executeTakeFirst();
    return row === undefined ? undefined : fromObjectRow(row);
  }

  async summary(siteId: string, scope: AccessScope): Promise<SiteSummary | undefined> {
    // One statement, so the counts and the generation they belong to are read together even
    // while a commit replaces the current generation.
    const rows = await this.db
      .selectFrom('sites as s')
      .leftJoin('generations as g', (join) => join.onRef('g.site_id', '=', 's.id').on('g.status', '=', sql.lit('complete')))
      .leftJoin('directory_objects as d', 'd.generation_id', 'g.id')
      .where('s.id', '=', siteId)
      .where(inScope('s.organization_id', scope))
      .select((eb) => [
        's.last_snapshot_at',
        'g.id as generation_id',
        'g.base_dn',
        'g.forest_json',
        'd.kind',
        eb.fn.count<number>('d.object_guid').as('objects'),
      ])
      .groupBy(['s.id', 's.last_snapshot_at', 'g.id', 'g.base_dn', 'g.forest_json', 'd.kind'])
      .execute();
    const first = rows[0];
    if (first === undefined) return undefined;
    const counts = Object.fromEntries(OBJECT_KINDS.map((k) => [k, 0])) as Record<ObjectKind, number>;
    let total = 0;
    for (const row of rows) {
      if (row.kind === null) continue;
      const objects = Number(row.objects);
      counts[row.kind] = objects;
      total += objects;
    }
    return {
      siteId,
      generation: first.generation_id,
      lastSnapshotAt: first.last_snapshot_at,
      counts,
      total,
      // Written by beginGeneration from a ForestInfo; the database holds nothing else.
      forest: first.forest_json === null ? null : (JSON.parse(first.forest_json) as ForestInfo),
      baseDn: first.base_dn,
    };
  }

  private currentObjects(siteId: string, scope: AccessScope) {
    // The current generation as a scalar subquery rather than a join: the planners evaluate it
    // once and then walk the (generation_id, [kind,] object_guid) index in order, stopping at
    // the limit; a join made PostgreSQL fetch and sort the whole generation for every page.
    // Still one statement, so a page never mixes two generations.
    return this.db
      .selectFrom('directory_objects as d')
      .where('d.generation_id', '=', (eb) =>
        eb
          .selectFrom('generations as g')
          .innerJoin('sites as s', 's.id', 'g.site_id')
          .select('g.id')
          .where('g.site_id', '=', siteId)
          .where(inScope('s.organization_id', scope))
          // A literal, not a parameter: only then can the planners use the partial index.
          .where('g.status', '=', sql.lit('complete')),
      )
      .select(['d.object_guid', 'd.distinguished_name', 'd.kind', 'd.usn_changed', 'd.attributes_json']);
  }

  private async siteExists(siteId: string, scope: AccessScope): Promise<boolean> {
    const row = await this.db
      .selectFrom('sites')
      .select('id')
      .where('id', '=', siteId)
      .where(inScope('organization_id', scope))
      .executeTakeFirst();
    return row !== undefined;
  }
}
