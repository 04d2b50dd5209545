import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { inScope, type AccessScope } from './access-scope';
import { StoreError } from './store-error';

/** Largest page {@link AuditRepository.list} serves. */
export const MAX_AUDIT_PAGE = 1000;

/** Whether the audited attempt succeeded. */
export type AuditOutcome = 'success' | 'failure';

/** A security event to record. Never put a secret (token, password, key) in `detail`. */
export interface AuditEventInput {
  /** The organization the event concerns; null when none is known (an unknown credential). */
  organizationId: string | null;
  /** Who acted: a credential id, an agent id, `cli`, `system`, or `anonymous`. */
  actor: string;
  /** Dotted name, e.g. `credential.created`, `credential.auth_failed`, `agent.enrolled`. */
  event: string;
  outcome: AuditOutcome;
  /** The peer's IP address, for events caused by a network request. */
  sourceAddress?: string;
  detail?: Record<string, unknown>;
}

/** A recorded security event. */
export interface AuditEvent {
  /** Increasing; newer events have larger ids. */
  id: number;
  /** ISO-8601. */
  at: string;
  organizationId: string | null;
  actor: string;
  event: string;
  outcome: AuditOutcome;
  sourceAddress: string | null;
  detail: Record<string, unknown>;
}

/** A page request of {@link AuditRepository.list}: newest first. */
export interface AuditQuery extends AccessScope {
  /** 1 to {@link MAX_AUDIT_PAGE}. */
  limit: number;
  /** The `nextCursor` of the previous page. */
  after?: string;
}

/** The append-only log of security events. */
export interface AuditRepository {
  record(event: AuditEventInput): Promise<void>;
  /**
   * Events of the scope's organizations, newest first. Events of no organization (failed
   * authentications of unknown credentials, …) are seen only with the `'*'` scope.
   * STORE.INVALID_ARGUMENT for a bad limit or cursor.
   */
  list(query: AuditQuery): Promise<{ items: AuditEvent[]; nextCursor: string | null }>;
}

/** {@link AuditRepository} over the query builder, for both dialects. */
export class KyselyAuditRepository implements AuditRepository {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    private readonly now: () => Date,
  ) {}

  async record(event: AuditEventInput): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        at: this.now().toISOString(),
        organization_id: event.organizationId,
        actor: event.actor,
        event: event.event,
        outcome: event.outcome,
        source_address: event.sourceAddress ?? null,
        detail_json: JSON.stringify(event.detail ?? {}),
      })
      .execute();
  }

  async list(query: AuditQuery): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
    const { limit } = query;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) {
      throw new StoreError('STORE.INVALID_ARGUMENT', `limit must be 1 to ${MAX_AUDIT_PAGE}`);
    }
    const before = query.after === undefined ? undefined : Number(query.after);
    if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) {
      throw new StoreError('STORE.INVALID_ARGUMENT', 'cursor is not one this API handed out');
    }
    const rows = await this.db
      .selectFrom('audit_events')
      .selectAll()
      .where(inScope('organization_id', query))
      .$if(before !== undefined, (qb) => qb.where('id', '<', before ?? 0))
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    return {
      items: page.map((row) => ({
        id: row.id,
        at: row.at,
        organizationId: row.organization_id,
        actor: row.actor,
        event: row.event,
        outcome: row.outcome,
        sourceAddress: row.source_address,
        detail: JSON.parse(row.detail_json) as Record<string, unknown>,
      })),
      nextCursor: rows.length > limit ? String(page.at(-1)?.id) : null,
    };
  }
}
