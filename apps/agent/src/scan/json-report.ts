import { type ScanReport } from './scan-report';

/**
 * The JSON report: `{ findings, summary, warnings }`. Findings carry every Finding field
 * (ARCHITECTURE.md "Stable interfaces"); `summary` is the engine's summary plus where the
 * objects came from and how many input warnings there were; `warnings` lists the first 1000
 * input warnings with their line numbers.
 */
export function renderJsonReport(report: ScanReport): string {
  const { result, warnings } = report;
  const body = {
    findings: result.findings,
    summary: {
      ...result.summary,
      ruleSet: report.ruleSet,
      source: report.source,
      objectsRead: report.objectsRead,
      inputWarnings: warnings.count,
      inputWarningsByCode: warnings.byCode(),
    },
    warnings: warnings.items,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
