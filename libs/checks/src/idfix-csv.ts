import { type Finding, type IdFixErrorName } from './finding';

/** IdFix's grid columns, upper-cased, as its CSV export writes them. */
export const IDFIX_CSV_HEADER = 'DISTINGUISHEDNAME,COMMONNAME,OBJECTCLASS,ATTRIBUTE,ERROR,VALUE,UPDATE,PROPOSEDACTION,ACTION';

/** IdFix 2.x prints its `[Flags] ErrorType` enum names (`Character`, `TopLevelDomain, DomainPart`). */
const IDFIX_ERROR_NAMES: Record<IdFixErrorName, string> = {
  format: 'Format',
  blank: 'Blank',
  duplicate: 'Duplicate',
  character: 'Character',
  topleveldomain: 'TopLevelDomain',
  domainpart: 'DomainPart',
  localpart: 'LocalPart',
  length: 'Length',
};

/**
 * IdFix quotes a field only when it contains a comma. A value with a quote or a line break
 * would break its file, so those are quoted too, RFC 4180 style (quotes doubled); every other
 * field is byte-for-byte what IdFix writes.
 */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One IdFix row: ERROR from `errors`, UPDATE = suggestedValue, PROPOSEDACTION upper-case, ACTION empty (the admin fills it in). */
export function idFixCsvRow(finding: Finding): string {
  return [
    finding.dn,
    finding.commonName,
    finding.objectClass,
    finding.attribute,
    finding.errors.map((e) => IDFIX_ERROR_NAMES[e]).join(', '),
    finding.value,
    finding.suggestedValue ?? '',
    finding.action.toUpperCase(),
    '',
  ]
    .map(csvField)
    .join(',');
}

/** Findings as IdFix's CSV export, CRLF line ends as IdFix (a Windows tool) writes them, ready for its CSV import. */
export function renderIdFixCsv(findings: Iterable<Finding>): string {
  const lines = [IDFIX_CSV_HEADER];
  for (const finding of findings) lines.push(idFixCsvRow(finding));
  return lines.map((line) => `${line}\r\n`).join('');
}
