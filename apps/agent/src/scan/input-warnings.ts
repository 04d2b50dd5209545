/** Why a value or record of the input was not taken as it was written. */
export type InputWarningCode =
  /** A text attribute's bytes are not valid UTF-8; the value was read with U+FFFD in place of the bad bytes. */
  | 'LDIF.NON_UTF8'
  /** A user, group, contact or computer without objectGUID; a placeholder derived from its DN was used. */
  | 'LDIF.NO_OBJECT_GUID';

/** One problem with the input (not with the directory): reported, never fatal. */
export interface InputWarning {
  readonly code: InputWarningCode;
  /** Line of the input file where the record or value starts. */
  readonly line: number;
  readonly dn: string;
  /** Empty when the warning is about the whole record. */
  readonly attribute: string;
  readonly message: string;
}

/** The first this-many warnings are kept with detail; every one is counted. */
export const MAX_KEPT_WARNINGS = 1000;

/** Warnings collected while reading, bounded in memory, counted by code. */
export class InputWarnings {
  private readonly kept: InputWarning[] = [];
  private readonly counts = new Map<InputWarningCode, number>();
  private total = 0;

  add(warning: InputWarning): void {
    this.total++;
    this.counts.set(warning.code, (this.counts.get(warning.code) ?? 0) + 1);
    if (this.kept.length < MAX_KEPT_WARNINGS) this.kept.push(warning);
  }

  /** Every warning counted, including those not kept. */
  get count(): number {
    return this.total;
  }

  /** The kept warnings, in input order. */
  get items(): readonly InputWarning[] {
    return this.kept;
  }

  /** Counts by code, codes sorted. */
  byCode(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
