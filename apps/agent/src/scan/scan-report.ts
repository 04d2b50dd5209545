import type { CheckResult, RuleSetName } from '@syncready/checks';
import { type InputWarnings } from './input-warnings';

/** Everything a renderer needs: the engine's result plus what the scan knows about its input. */
export interface ScanReport {
  /** The LDIF file, or the DC URL and base DN. */
  readonly source: string;
  readonly ruleSet: RuleSetName;
  /** Users, groups, contacts and computers read from the source. */
  readonly objectsRead: number;
  readonly result: CheckResult;
  readonly warnings: InputWarnings;
}
