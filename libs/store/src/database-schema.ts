import type { ObjectKind } from '@syncready/directory';
import type { Generated } from 'kysely';

/**
 * Row types of the tables, as the query builder sees them. Timestamps are ISO-8601 strings in
 * both dialects (PostgreSQL stores `timestamptz`; its parser is set to hand back ISO text),
 * 64-bit integers are numbers (AD USNs stay far below 2^53).
 */

/** Life cycle of a generation; see `SnapshotRepository`. */
export type GenerationStatus = 'receiving' | 'complete' | 'superseded' | 'discarded';

/** All generation statuses. */
export const GENERATION_STATUSES: readonly GenerationStatus[] = ['receiving', 'complete', 'superseded', 'discarded'];

/** `sites`: one row per customer site. */
export interface SitesTable {
  id: string;
  name: string;
  created_at: string;
  last_snapshot_at: string | null;
  /** The Entra tenant the site's forest syncs to; null when not configured. */
  tenant: string | null;
}

/**
 * `generations`: one row per snapshot, kept as history. At most one row per site has status
 * `complete` (a partial unique index): that row is the site's current generation.
 */
export interface GenerationsTable {
  id: Generated<number>;
  site_id: string;
  snapshot_id: string;
  status: GenerationStatus;
  base_dn: string;
  forest_json: string;
  started_at: string;
  completed_at: string | null;
  object_count: number | null;
  /** The ObjectSetDigest the generation was committed with. */
  digest: string | null;
  discard_reason: string | null;
}

/** `directory_objects`: the objects of generations that are receiving or complete. */
export interface DirectoryObjectsTable {
  generation_id: number;
  object_guid: string;
  distinguished_name: string;
  kind: ObjectKind;
  usn_changed: number;
  /** `DirectoryObject.attributes` as JSON text. */
  attributes_json: string;
}

/** `findings`: the readiness findings of a generation, in the engine's order (`seq`). */
export interface FindingsTable {
  generation_id: number;
  seq: number;
  rule_id: string;
  severity: 'error' | 'warning' | 'info';
  attribute: string;
  /** The whole Finding as JSON text. */
  finding_json: string;
}

/** `finding_runs`: one row per generation whose findings were computed. */
export interface FindingRunsTable {
  generation_id: number;
  rule_set: string;
  completed_at: string;
  finding_count: number;
  summary_json: string;
}

/** The whole schema, for `Kysely<StoreDatabase>`. */
export interface StoreDatabase {
  sites: SitesTable;
  generations: GenerationsTable;
  directory_objects: DirectoryObjectsTable;
  findings: FindingsTable;
  finding_runs: FindingRunsTable;
}
