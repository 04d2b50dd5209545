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
  /** The organization (customer) the site belongs to; null only for sites nobody assigned. */
  organization_id: string | null;
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
  /** invocationId of the DC the generation was read from (the sync cursor); null before 0005. */
  cursor_invocation_id: string | null;
  /** Every change up to this uSNChanged on that DC is in the generation; null before 0005. */
  cursor_usn: number | null;
  /** The latest delta applied to the generation (`DeltaRecord` as JSON); null when none. */
  last_delta_json: string | null;
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

/** `enrollment_tokens`: admin-issued, hashed, expiring, counted secrets an agent enrolls with. */
export interface EnrollmentTokensTable {
  id: string;
  /** SHA-256 of the token's secret part, hex. The secret itself is never stored. */
  secret_hash: string;
  organization_id: string;
  /** The site every agent enrolled with this token joins; null lets the agent name it. */
  site_name: string | null;
  /** The Entra tenant given to the site at enrollment; null leaves it as it is. */
  tenant: string | null;
  /** Labels given to every agent enrolled with this token (JSON array of strings). */
  labels_json: string;
  uses_total: number;
  uses_left: number;
  expires_at: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** `agents`: one row per enrolled agent installation and its Ed25519 public key. */
export interface AgentsTable {
  id: string;
  organization_id: string;
  site_id: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  public_key: string;
  host_name: string;
  install_id: string;
  computer_guid: string | null;
  labels_json: string;
  token_id: string | null;
  enrolled_at: string;
  revoked_at: string | null;
  last_seen_at: string | null;
}

/** `organizations`: one row per customer. */
export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: string;
}

/** `api_credentials`: bearer credentials of the HTTP API, stored as a hash of their secret. */
export interface ApiCredentialsTable {
  id: string;
  name: string;
  role: 'viewer' | 'operator' | 'admin';
  /** Null for a provider-level credential. */
  organization_id: string | null;
  /** 1 when provider-level over every organization. */
  all_organizations: number;
  /** SHA-256 of the token's secret part, hex. */
  secret_hash: string;
  /** 'bootstrap' for the credential created at first start, else null. */
  bootstrap_key: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** `api_credential_organizations`: the organizations a provider-level credential manages. */
export interface ApiCredentialOrganizationsTable {
  credential_id: string;
  organization_id: string;
}

/** `audit_events`: the security event log, append-only. */
export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  organization_id: string | null;
  actor: string;
  event: string;
  outcome: 'success' | 'failure';
  source_address: string | null;
  detail_json: string;
}

/** The whole schema, for `Kysely<StoreDatabase>`. */
export interface StoreDatabase {
  sites: SitesTable;
  generations: GenerationsTable;
  directory_objects: DirectoryObjectsTable;
  findings: FindingsTable;
  finding_runs: FindingRunsTable;
  organizations: OrganizationsTable;
  api_credentials: ApiCredentialsTable;
  api_credential_organizations: ApiCredentialOrganizationsTable;
  audit_events: AuditEventsTable;
  enrollment_tokens: EnrollmentTokensTable;
  agents: AgentsTable;
}
