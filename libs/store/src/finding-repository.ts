import type { Finding, FindingSummary, Severity } from '@syncready/checks';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { inScope, type AccessScope } from './access-scope';
import { StoreError } from './store-error';

/** Largest page {@link FindingRepository.listFindings} serves. */
export const MAX_FINDINGS_PAGE = 5000;

/** Rows per insert statement: 6 parameters each stays far below both dialects' limits. */
const INSERT_CHUNK = 1000;

/** Filters and paging of {@link FindingRepository.listFindings}. */
export interface FindingQuery {
  severity?: Severity;
  ruleId?: string;
  attribute?: string;
  /** 1 to {@link MAX_FINDINGS_PAGE}. */
  limit: number;
  /** The `nextCursor` of the previous page. */
  after?: string;
}

/** One page of findings, in the engine's order; `nextCursor` is null on the last page. */
export interface FindingPage {
  items: Finding[];
  nextCursor: string | null;
}

/** That (and when) a generation's findings were computed. */
export interface FindingRun {
  generationId: number;
  ruleSet: string;
  completedAt: string;
  findingCount: number;
  summary: FindingSummary;
}

/** Readiness findings, stored per generation. */
export interface FindingRepository {
  /**
   * Stores a generation's findings in one transaction, replacing any stored before, and
   * records the run. STORE.NOT_FOUND when the generation does not exist.
   */
  saveFindings(generationId: number, run: { ruleSet: string; summary: FindingSummary }, findings: readonly Finding[]): Promise<void>;
  /**
   * The run of a generation, or undefined when its findings are not computed (yet) or its site
   * is outside `scope`.
   */
  getRun(generationId: number, scope: AccessScope): Promise<FindingRun | undefined>;
  /**
   * A page of a generation's findings, filtered; empty when its site is outside `scope`.
   * STORE.INVALID_ARGUMENT for a bad limit or cursor.
   */
  listFindings(generationId: number, query: FindingQuery, scope: AccessScope): Promise<FindingPage>;
}

/** {@link FindingRepository} over the query builder, for both dialects. */
export class KyselyFindingRepository implements FindingRepository {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    private readonly now: () => Date,
  ) {}

  async saveFindings(generationId: number, run: { ruleSet: string; summary: FindingSummary }, findings: readonly Finding[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const generation = await trx.selectFrom('generations').select('id').where('id', '=', generationId).executeTakeFirst();
      if (!generation) throw new StoreError('STORE.NOT_FOUND', `generation ${generationId} does not exist`);
      await trx.deleteFrom('findings').where('generation_id', '=', generationId).execute();
      await trx.deleteFrom('finding_runs').where('generation_id', '=', generationId).execute();
      for (let start = 0; start < findings.length; start += INSERT_CHUNK) {
        const rows = findings.slice(start, start + INSERT_CHUNK).map((finding, i) => ({
          generation_id: generationId,
          seq: start + i + 1,
          rule_id: finding.ruleId,
          severity: finding.severity,
          attribute: finding.attribute,
          finding_json: JSON.stringify(finding),
        }));
        await trx.insertInto('findings').values(rows).execute();
        // SQLite answers synchronously underneath: let sockets and timers run between chunks, so
        // tens of thousands of findings do not hold up the agents' sessions (other queries
        // wait for the transaction's connection as they would anyway).
        await new Promise((resolve) => setImmediate(resolve));
      }
      await trx
        .insertInto('finding_runs')
        .values({
          generation_id: generationId,
          rule_set: run.ruleSet,
          completed_at: this.now().toISOString(),
          finding_count: findings.length,
          summary_json: JSON.stringify(run.summary),
        })
        .execute();
    });
  }

  async getRun(generationId: number, scope: AccessScope): Promise<FindingRun | undefined> {
    const row = await this.db
      .selectFrom('finding_runs')
      .selectAll('finding_runs')
      .where('generation_id', '=', generationId)
      .where('generation_id', 'in', (eb) => this.generationsInScope(eb, scope))
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      generationId: row.generation_id,
      ruleSet: row.rule_set,
      completedAt: row.completed_at,
      findingCount: row.finding_count,
      summary: JSON.parse(row.summary_json) as FindingSummary,
    };
  }

  async listFindings(generationId: number, query: FindingQuery, scope: AccessScope): Promise<FindingPage> {
    const { limit } = query;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FINDINGS_PAGE) {
      throw new StoreError('STORE.INVALID_ARGUMENT', `limit must be 1 to ${MAX_FINDINGS_PAGE}`);
    }
    const after = query.after === undefined ? 0 : Number(query.after);
    if (!Number.isSafeInteger(after) || after < 0) throw new StoreError('STORE.INVALID_ARGUMENT', 'cursor is not one this API handed out');
    let select = this.db
      .selectFrom('findings')
      .select(['seq', 'finding_json'])
      .where('generation_id', '=', generationId)
      .where('generation_id', 'in', (eb) => this.generationsInScope(eb, scope))
      .where('seq', '>', after);
    if (query.severity) select = select.where('severity', '=', query.severity);
    if (query.ruleId) select = select.where('rule_id', '=', query.ruleId);
    if (query.attribute) select = select.where('attribute', '=', query.attribute);
    const rows = await select.orderBy('seq').limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => JSON.parse(r.finding_json) as Finding),
      nextCursor: rows.length > limit ? String(page[page.length - 1]?.seq) : null,
    };
  }

  /** Ids of the generations whose site `scope` covers, as a subquery. */
  private generationsInScope(eb: ExpressionBuilder<StoreDatabase, keyof StoreDatabase>, scope: AccessScope) {
    return eb
      .selectFrom('generations as g')
      .innerJoin('sites as s', 's.id', 'g.site_id')
      .select('g.id')
      .where(inScope('s.organization_id', scope));
  }
}
