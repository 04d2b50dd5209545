import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { inScope, type AccessScope } from './access-scope';
import { StoreError } from './store-error';

/** A customer site: one AD forest seen through one agent installation. */
export interface Site {
  /** `site_` followed by 32 hex digits. */
  id: string;
  /** Unique, as given to {@link SiteRepository.ensureSite}. */
  name: string;
  /** ISO-8601. */
  createdAt: string;
  /** The generation objects are served from; null until the first snapshot is committed. */
  currentGenerationId: number | null;
  /** When the current generation was committed (ISO-8601); null before the first. */
  lastSnapshotAt: string | null;
  /** The Entra tenant the site's forest syncs to; null when not configured. */
  tenant: string | null;
  /** The organization the site belongs to; null only for a site nobody assigned. */
  organizationId: string | null;
}

/** Options of {@link SiteRepository.ensureSite}: each given one is set on the site. */
export interface EnsureSiteOptions {
  tenant?: string | null;
  organizationId?: string;
}

/** Sites, keyed by id and by unique name. */
export interface SiteRepository {
  /**
   * Returns the site with this name, creating it when missing. Safe to call concurrently with
   * the same name (from any number of replicas): exactly one site results.
   * With `tenant` given (a name or null), the site's tenant is set to it; with
   * `organizationId`, the site moves to that organization.
   * Throws STORE.INVALID_ARGUMENT for an empty name.
   */
  ensureSite(name: string, options?: EnsureSiteOptions): Promise<Site>;
  /** The site, or undefined when no site has this id or `scope` does not cover its organization. */
  getSite(id: string, scope: AccessScope): Promise<Site | undefined>;
  /** The sites `scope` covers, ordered by name; only those of `tenant` when given. */
  listSites(scope: AccessScope & { tenant?: string }): Promise<Site[]>;
}

/** {@link SiteRepository} over the query builder, for both dialects. */
export class KyselySiteRepository implements SiteRepository {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    private readonly now: () => Date,
  ) {}

  async ensureSite(name: string, options: EnsureSiteOptions = {}): Promise<Site> {
    if (name.trim() === '') throw new StoreError('STORE.INVALID_ARGUMENT', 'site name must not be empty');
    // Insert-or-nothing, then read: whichever concurrent caller inserts first wins, and every
    // caller reads that row. No transaction needed; the unique index does the arbitration.
    await this.db
      .insertInto('sites')
      .values({
        id: newSiteId(),
        name,
        created_at: this.now().toISOString(),
        last_snapshot_at: null,
        tenant: options.tenant ?? null,
        organization_id: options.organizationId ?? null,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    if (options.tenant !== undefined) {
      await this.db.updateTable('sites').set({ tenant: options.tenant }).where('name', '=', name).execute();
    }
    if (options.organizationId !== undefined) {
      await this.db.updateTable('sites').set({ organization_id: options.organizationId }).where('name', '=', name).execute();
    }
    const site = await this.selectSites().where('s.name', '=', name).executeTakeFirst();
    if (site === undefined) throw new Error(`site ${name} vanished right after its upsert`);
    return toSite(site);
  }

  async getSite(id: string, scope: AccessScope): Promise<Site | undefined> {
    const row = await this.selectSites()
      .where('s.id', '=', id)
      .where(inScope('s.organization_id', scope))
      .executeTakeFirst();
    return row === undefined ? undefined : toSite(row);
  }

  async listSites(filter: AccessScope & { tenant?: string }): Promise<Site[]> {
    let query = this.selectSites().where(inScope('s.organization_id', filter));
    if (filter.tenant !== undefined) query = query.where('s.tenant', '=', filter.tenant);
    const rows = await query.orderBy('s.name').execute();
    return rows.map(toSite);
  }

  private selectSites() {
    return this.db
      .selectFrom('sites as s')
      .leftJoin('generations as g', (join) =>
        // A literal, not a parameter: only then can the planners use the partial index.
        join.onRef('g.site_id', '=', 's.id').on('g.status', '=', sql.lit('complete')),
      )
      .select(['s.id', 's.name', 's.created_at', 's.last_snapshot_at', 's.tenant', 's.organization_id', 'g.id as current_generation_id']);
  }
}

interface SiteRow {
  id: string;
  name: string;
  created_at: string;
  last_snapshot_at: string | null;
  tenant: string | null;
  organization_id: string | null;
  current_generation_id: number | null;
}

function toSite(row: SiteRow): Site {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    currentGenerationId: row.current_generation_id,
    lastSnapshotAt: row.last_snapshot_at,
    tenant: row.tenant,
    organizationId: row.organization_id,
  };
}

function newSiteId(): string {
  return `site_${randomUUID().replace(/-/g, '')}`;
}
