export { openStore, type Store } from './store';
export type { CommonStoreOptions, PostgresStoreConfig, SqliteStoreConfig, StoreConfig } from './store-config';
export { StoreError, isStoreError, type StoreErrorCode } from './store-error';
export type { EnsureSiteOptions, Site, SiteRepository } from './site-repository';
export { ALL_ORGANIZATIONS, type AccessScope } from './access-scope';
export { MAX_ORGANIZATION_NAME, type Organization, type OrganizationRepository } from './organization-repository';
export {
  CREDENTIAL_ROLES,
  type ApiCredential,
  type CredentialRepository,
  type CredentialRole,
  type CredentialScope,
  type IssuedCredential,
} from './credential-repository';
export {
  MAX_AUDIT_PAGE,
  type AuditEvent,
  type AuditEventInput,
  type AuditOutcome,
  type AuditQuery,
  type AuditRepository,
} from './audit-repository';
export {
  ABANDONED_REASON,
  type BeginGenerationInput,
  type CommitMismatch,
  type CommitResult,
  type ExpectedContent,
  type Generation,
  type GenerationStatus,
  type SnapshotRepository,
} from './snapshot-repository';
export type { DeltaInput, DeltaRecord, DeltaRefusal, DeltaResult, SyncCursor, SyncRepository } from './sync-repository';
export { MAX_PAGE_SIZE, type ListObjectsQuery, type ObjectPage, type ObjectRepository, type SiteSummary } from './object-repository';
export {
  MAX_FINDINGS_PAGE,
  type FindingPage,
  type FindingQuery,
  type FindingRepository,
  type FindingRun,
} from './finding-repository';
export {
  MAX_TOKEN_USES,
  type ConsumeResult,
  type EnrollmentToken,
  type EnrollmentTokenRepository,
  type NewEnrollmentToken,
  type TokenRejection,
} from './enrollment-token-repository';
export type { Agent, AgentRepository, EnrollInput, EnrollRejection, EnrollResult } from './agent-repository';
