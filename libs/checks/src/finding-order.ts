import { type Finding, type FindingSummary, type Severity } from './finding';

/** Ascending code-unit order, the same on every machine (no locale). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts findings by DN (case-insensitively), attribute, value, rule id. The sort is stable, so
 * findings equal in all four keep the order they were produced in.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const keyed = findings.map((finding, index) => ({ finding, index, dn: finding.dn.toLowerCase() }));
  keyed.sort(
    (a, b) =>
      compareText(a.dn, b.dn) ||
      compareText(a.finding.attribute, b.finding.attribute) ||
      compareText(a.finding.value, b.finding.value) ||
      compareText(a.finding.ruleId, b.finding.ruleId) ||
      a.index - b.index,
  );
  return keyed.map((k) => k.finding);
}

/** Counts findings by severity and rule. */
export function summarize(findings: readonly Finding[], objectsChecked: number, objectsSkipped: number): FindingSummary {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byRule: Record<string, number> = {};
  for (const finding of findings) {
    bySeverity[finding.severity] += 1;
    byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  }
  return { objectsChecked, objectsSkipped, findings: findings.length, bySeverity, byRule };
}
