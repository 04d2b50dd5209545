import type { Finding, Severity } from '@syncready/checks';
import { type ScanReport } from './scan-report';

/** How the table looks. */
export interface TableOptions {
  /** ANSI colours for severities; only when writing to a terminal. @default false */
  readonly color?: boolean;
  /** Objects listed under "Worst objects". @default 10 */
  readonly worstObjects?: number;
  /** Findings listed under each of those objects. @default 5 */
  readonly findingsPerObject?: number;
  /** Input warnings listed. @default 10 */
  readonly warnings?: number;
}

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];
const ANSI: Record<Severity, string> = { error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m' };
const RESET = '\u001b[0m';

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** Left-aligns the first `textColumns` columns and right-aligns the rest. */
function align(rows: readonly (readonly string[])[], textColumns: number): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const last = i === row.length - 1;
        if (i < textColumns) return last ? cell : cell.padEnd(widths[i] ?? 0);
        return cell.padStart(widths[i] ?? 0);
      })
      .join('  ')
      .trimEnd(),
  );
}

interface ObjectTally {
  readonly dn: string;
  readonly objectClass: string;
  readonly counts: Record<Severity, number>;
  readonly findings: Finding[];
}

/** Objects with the most severe findings first: errors, then warnings, then info, then DN. */
export function worstObjects(findings: readonly Finding[]): ObjectTally[] {
  const byDn = new Map<string, ObjectTally>();
  for (const finding of findings) {
    let tally = byDn.get(finding.dn);
    if (!tally) {
      tally = { dn: finding.dn, objectClass: finding.objectClass, counts: { error: 0, warning: 0, info: 0 }, findings: [] };
      byDn.set(finding.dn, tally);
    }
    tally.counts[finding.severity]++;
    tally.findings.push(finding);
  }
  const rank = (f: Finding): number => SEVERITY_ORDER.indexOf(f.severity);
  for (const tally of byDn.values()) tally.findings.sort((a, b) => rank(a) - rank(b));
  return [...byDn.values()].sort(
    (a, b) =>
      b.counts.error - a.counts.error ||
      b.counts.warning - a.counts.warning ||
      b.counts.info - a.counts.info ||
      (a.dn < b.dn ? -1 : a.dn > b.dn ? 1 : 0),
  );
}

/**
 * The report a person reads first: totals, counts by rule and severity (most frequent rule
 * first), then the worst objects with their first findings, then input warnings.
 */
export function renderTableReport(report: ScanReport, options: TableOptions = {}): string {
  const paint = (severity: Severity, text: string): string => (options.color && text.trim() !== '0' ? `${ANSI[severity]}${text}${RESET}` : text);
  const { findings, summary } = report.result;
  const lines: string[] = [];
  lines.push(`syncready scan of ${report.source} (rules: ${report.ruleSet})`);
  lines.push(
    `${plural(report.objectsRead, 'object')} read, ${plural(summary.objectsChecked, 'object')} checked, ${plural(summary.findings, 'finding')}: ` +
      SEVERITY_ORDER.map((s) => paint(s, `${summary.bySeverity[s]} ${s}`)).join(', '),
  );

  const perRule = new Map<string, Record<Severity, number>>();
  for (const finding of findings) {
    const counts = perRule.get(finding.ruleId) ?? { error: 0, warning: 0, info: 0 };
    counts[finding.severity]++;
    perRule.set(finding.ruleId, counts);
  }
  if (perRule.size > 0) {
    const total = (c: Record<Severity, number>): number => c.error + c.warning + c.info;
    const rules = [...perRule.entries()].sort(([a, ca], [b, cb]) => total(cb) - total(ca) || (a < b ? -1 : 1));
    lines.push('', 'Findings by rule');
    const rows = [['  RULE', 'ERROR', 'WARNING', 'INFO', 'TOTAL'], ...rules.map(([rule, c]) => [`  ${rule}`, String(c.error), String(c.warning), String(c.info), String(total(c))])];
    const aligned = align(rows, 1);
    lines.push(aligned[0] ?? '');
    aligned.slice(1).forEach((line, i) => {
      const counts = rules[i]?.[1];
      lines.push(options.color && counts && counts.error > 0 ? line.replace(/^ {2}/, `${ANSI.error}!${RESET} `) : line);
    });

    const worst = worstObjects(findings);
    const shown = worst.slice(0, options.worstObjects ?? 10);
    lines.push('', `Worst objects (${shown.length} of ${plural(worst.length, 'object')} with findings)`);
    const header = ['  ERROR', 'WARNING', 'INFO', 'OBJECT'];
    const objectRows = shown.map((t) => [`  ${t.counts.error}`, String(t.counts.warning), String(t.counts.info), `${t.dn} (${t.objectClass})`]);
    // Numbers first and right-aligned, the DN last (DNs vary most in length).
    const numericWidth = [header, ...objectRows].reduce((w, r) => r.slice(0, 3).map((c, i) => Math.max(w[i] ?? 0, c.length)), [] as number[]);
    const renderRow = (r: readonly string[]): string => [...r.slice(0, 3).map((c, i) => c.padStart(numericWidth[i] ?? 0)), r[3] ?? ''].join('  ');
    lines.push(renderRow(header));
    shown.forEach((tally, i) => {
      lines.push(renderRow(objectRows[i] ?? []));
      const limit = options.findingsPerObject ?? 5;
      for (const f of tally.findings.slice(0, limit)) {
        const value = f.value === '' ? '' : ` [${f.value.length > 60 ? `${f.value.slice(0, 57)}...` : f.value}]`;
        lines.push(`      ${paint(f.severity, f.severity.padEnd(7))}  ${f.attribute}${value}: ${f.message}`);
      }
      if (tally.findings.length > limit) lines.push(`      ... ${plural(tally.findings.length - limit, 'more finding')}`);
    });
  }

  const { warnings } = report;
  if (warnings.count > 0) {
    const limit = options.warnings ?? 10;
    const byCode = Object.entries(warnings.byCode()).map(([code, n]) => `${code} ${n}`).join(', ');
    lines.push('', `Input warnings: ${warnings.count} (${byCode})`);
    for (const w of warnings.items.slice(0, limit)) lines.push(`  line ${w.line}: ${w.message}`);
    if (warnings.count > limit) lines.push(`  ... ${warnings.count - limit} more (all of them are in --format json)`);
  }
  return `${lines.join('\n')}\n`;
}
