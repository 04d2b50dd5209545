/**
 * What the readiness checks say about a directory. A finding is a value: rules return them,
 * they never throw because AD is misconfigured.
 */

/** `error` blocks sync or loses data; `warning` syncs differently than the admin expects. */
export type Severity = 'error' | 'warning' | 'info';

/** Severities from worst to least. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** IdFix's error names (its ERROR column), used wherever one applies. */
export type IdFixErrorName = 'character' | 'format' | 'blank' | 'duplicate' | 'topleveldomain' | 'domainpart' | 'localpart' | 'length';

/** What to do about a finding: write `suggestedValue`, remove the value, or accept it as is. */
export type FindingAction = 'edit' | 'remove' | 'complete';

/** Another object holding the same value (duplicate findings). */
export interface DuplicateHolder {
  readonly dn: string;
  readonly objectGuid: string;
  readonly objectClass: string;
  readonly attribute: string;
  readonly value: string;
}

/** One problem with one value of one attribute of one object (or of the forest). */
export interface Finding {
  /** Stable id, e.g. `entra.upn.non-routable-suffix` or `idfix.userPrincipalName`. */
  readonly ruleId: string;
  readonly severity: Severity;
  /** The object's DN; for forest-level findings the forest root naming context. */
  readonly dn: string;
  /** The object's GUID; empty for forest-level findings. */
  readonly objectGuid: string;
  /** IdFix's object type: the last objectClass value (`user`, `contact`, `group`, `inetOrgPerson`, `computer`); `forest` for forest-level findings. */
  readonly objectClass: string;
  /** `cn` of the object (IdFix's COMMONNAME column); empty when absent. */
  readonly commonName: string;
  readonly attribute: string;
  /** The value as found (one value of a multi-valued attribute); empty for a missing value. */
  readonly value: string;
  /** IdFix error names that apply; empty when IdFix has no name for the problem. */
  readonly errors: readonly IdFixErrorName[];
  /** The value to write for `edit`; null when there is nothing to suggest. */
  readonly suggestedValue: string | null;
  readonly action: FindingAction;
  /** One sentence an admin understands. */
  readonly message: string;
  /** Other holders of the same value, for duplicate findings. */
  readonly duplicates?: readonly DuplicateHolder[];
}

/** Which rules to apply. */
export type RuleSetName = 'entra' | 'idfix';

/** Facts from the tenant, when the control plane knows them (Graph `GET /domains`). */
export interface TenantFacts {
  /** Verified domain names of the tenant (lower-case). */
  readonly verifiedDomains: readonly string[];
}

/** Counts by rule and severity, for reports. */
export interface FindingSummary {
  /** Objects the rules ran on (not skipped). */
  readonly objectsChecked: number;
  /** Objects added but left out: IdFix's skip rules (`idfix`) or out of Connect's sync scope (`entra`). */
  readonly objectsSkipped?: number;
  readonly findings: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly byRule: Readonly<Record<string, number>>;
}
