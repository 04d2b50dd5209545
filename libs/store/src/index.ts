export { openStore, type Store } from './store';
export type { CommonStoreOptions, PostgresStoreConfig, SqliteStoreConfig, StoreConfig } from './store-config';
export { StoreError, isStoreError, type StoreErrorCode } from './store-error';
export type { Site, SiteRepository } from './site-repository';
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
export { MAX_PAGE_SIZE, type ListObjectsQuery, type ObjectPage, type ObjectRepository, type SiteSummary } from './object-repository';
export {
  MAX_FINDINGS_PAGE,
  type FindingPage,
  type FindingQuery,
  type FindingRepository,
  type FindingRun,
} from './finding-repository';
