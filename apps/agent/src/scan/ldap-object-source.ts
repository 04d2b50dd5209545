import { type DirectoryReader } from '@syncready/ad-reader';
import { type DirectoryObject, type ForestInfo } from '@syncready/directory';
import { InputWarnings } from './input-warnings';
import { type ScanSource } from './scan-source';

/** A live DC through the agent's own reader: the same pages, decoding and error codes. */
export class LdapObjectSource implements ScanSource {
  readonly warnings = new InputWarnings();

  constructor(
    private readonly reader: DirectoryReader,
    private readonly url: string,
  ) {}

  get description(): string {
    return `${this.url} (${this.reader.baseDn})`;
  }

  forest(): Promise<ForestInfo | undefined> {
    return this.reader.readForest();
  }

  objects(): AsyncIterable<readonly DirectoryObject[]> {
    return this.reader.readObjects();
  }

  close(): Promise<void> {
    return this.reader.close();
  }
}
