import { renderIdFixCsv } from '@syncready/checks';
import { type ScanReport } from './scan-report';

/** The CSV report: IdFix's columns, so existing IdFix workflows carry on. */
export function renderCsvReport(report: ScanReport): string {
  return renderIdFixCsv(report.result.findings);
}
