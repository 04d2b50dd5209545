import { type DirectoryObject, type ForestInfo } from '@syncready/directory';
import { type InputWarnings } from './input-warnings';

/**
 * Where a scan reads objects from: an LDIF export or a live DC. The forest facts come first
 * because the checks need them before the first object.
 */
export interface ScanSource {
  /** For reports: the file or the DC and base DN. */
  readonly description: string;
  /** Problems with the input that did not stop the read. */
  readonly warnings: InputWarnings;
  /** Forest facts, or undefined when the source cannot tell (an LDIF without CN=Partitions). */
  forest(): Promise<ForestInfo | undefined>;
  /** Users, groups, contacts and computers, in batches. */
  objects(): AsyncIterable<readonly DirectoryObject[]>;
  close(): Promise<void>;
}
