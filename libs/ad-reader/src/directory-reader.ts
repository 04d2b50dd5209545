import { type DirectoryObject, type ForestInfo } from '@syncready/directory';

/**
 * The port the agent reads a directory through. The LDAP implementation talks to a DC; tests
 * of the session loop may use an in-memory one.
 */
export interface DirectoryReader {
  /** Forest and DC facts (rootDSE, partitions, schema version, UPN suffixes). */
  readForest(): Promise<ForestInfo>;
  /**
   * Every user, group, contact and computer under the configured base, one page at a time.
   * The next page is requested only when the consumer asks for it, so a consumer that stops
   * pulling (a full socket) pauses the search and memory stays bounded by one page.
   */
  readObjects(): AsyncIterable<readonly DirectoryObject[]>;
  /** The base DN objects are read from. */
  readonly baseDn: string;
  close(): Promise<void>;
}
