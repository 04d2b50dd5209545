import { KyselyAgentRepository, type AgentRepository } from './agent-repository';
import { KyselyEnrollmentTokenRepository, type EnrollmentTokenRepository } from './enrollment-token-repository';
import { KyselyAuditRepository, type AuditRepository } from './audit-repository';
import { KyselyCredentialRepository, type CredentialRepository } from './credential-repository';
import { KyselyFindingRepository, type FindingRepository } from './finding-repository';
import { KyselySnapshotRepository } from './kysely-snapshot-repository';
import { KyselySyncRepository } from './kysely-sync-repository';
import { migrateToLatest } from './migrate';
import { storeMigrations } from './migrations';
import { KyselyObjectRepository, type ObjectRepository } from './object-repository';
import { KyselyOrganizationRepository, type OrganizationRepository } from './organization-repository';
import { openPostgres } from './postgres-dialect';
import { KyselySiteRepository, type SiteRepository } from './site-repository';
import type { SnapshotRepository } from './snapshot-repository';
import type { SyncRepository } from './sync-repository';
import { resolvePostgresConfig, resolveSqliteConfig, type StoreConfig } from './store-config';
import type { StoreConnection } from './store-dialect';
import { openSqlite } from './sqlite-dialect';

/** The control plane's state: sites, snapshot generations and the objects they hold. */
export interface Store {
  readonly sites: SiteRepository;
  readonly snapshots: SnapshotRepository;
  /** Delta sync: the site's cursor and deltas applied on top of its current generation. */
  readonly sync: SyncRepository;
  readonly objects: ObjectRepository;
  readonly findings: FindingRepository;
  /** Organizations (customers) that own sites. */
  readonly organizations: OrganizationRepository;
  /** API credentials (hashed) with their roles and scopes. */
  readonly credentials: CredentialRepository;
  /** The security event log. */
  readonly audit: AuditRepository;
  /** Enrollment tokens agents enroll with. */
  readonly enrollmentTokens: EnrollmentTokenRepository;
  /** Enrolled agents and their public keys. */
  readonly agents: AgentRepository;
  readonly dialect: 'sqlite' | 'postgres';
  /** Closes the database (SQLite file or PostgreSQL pool). Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the store and brings its schema to the latest version.
 *
 * SQLite: creates the file and its directory when missing; stores opened on the same file in
 * one process share one connection (the first opener's options apply).
 * PostgreSQL: creates the schema when missing; replicas starting together are safe (the
 * migrations run one at a time under an advisory lock).
 *
 * Throws StoreError: STORE.INVALID_ARGUMENT (bad config), STORE.CONNECTION_FAILED,
 * STORE.MIGRATION_FAILED (schema left as it was).
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  const connection =
    config.dialect === 'sqlite' ? openSqlite(resolveSqliteConfig(config)) : await openPostgres(resolvePostgresConfig(config));
  try {
    await migrateToLatest(connection, storeMigrations(connection.dialect));
  } catch (error) {
    await connection.close();
    throw error;
  }
  return new KyselyStore(connection, config.now ?? (() => new Date()));
}

class KyselyStore implements Store {
  readonly sites: SiteRepository;
  readonly snapshots: SnapshotRepository;
  readonly sync: SyncRepository;
  readonly objects: ObjectRepository;
  readonly findings: FindingRepository;
  readonly organizations: OrganizationRepository;
  readonly credentials: CredentialRepository;
  readonly audit: AuditRepository;
  readonly enrollmentTokens: EnrollmentTokenRepository;
  readonly agents: AgentRepository;
  readonly dialect: 'sqlite' | 'postgres';
  private closing: Promise<void> | undefined;

  constructor(
    private readonly connection: StoreConnection,
    now: () => Date,
  ) {
    const { db, dialect } = connection;
    this.dialect = dialect.name;
    this.sites = new KyselySiteRepository(db, now);
    this.snapshots = new KyselySnapshotRepository(db, dialect, now);
    this.sync = new KyselySyncRepository(db, dialect, now);
    this.objects = new KyselyObjectRepository(db);
    this.findings = new KyselyFindingRepository(db, now);
    this.organizations = new KyselyOrganizationRepository(db, now);
    this.credentials = new KyselyCredentialRepository(db, now);
    this.audit = new KyselyAuditRepository(db, now);
    this.enrollmentTokens = new KyselyEnrollmentTokenRepository(db, now);
    this.agents = new KyselyAgentRepository(db, now);
  }

  close(): Promise<void> {
    this.closing ??= this.connection.close();
    return this.closing;
  }
}
