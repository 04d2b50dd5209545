// Prints one plain closing line, `tests: N passed, N failed[, N skipped]`, that any CI log
// reader understands, after jest's own summary. `npm test` runs jest twice (the main pass, then
// the tests that need the Samba DC to themselves); with SYNCREADY_TEST_TOTALS naming a file,
// each pass adds its counts there and prints the totals so far, so the last line counts every
// test of both passes.
const fs = require('node:fs');

function readTotals(file) {
  try {
    const totals = JSON.parse(fs.readFileSync(file, 'utf8'));
    return { passed: Number(totals.passed) || 0, failed: Number(totals.failed) || 0, skipped: Number(totals.skipped) || 0 };
  } catch {
    return { passed: 0, failed: 0, skipped: 0 };
  }
}

class SummaryReporter {
  onRunComplete(_contexts, results) {
    let totals = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    const file = process.env.SYNCREADY_TEST_TOTALS;
    if (file) {
      const before = readTotals(file);
      totals = { passed: before.passed + totals.passed, failed: before.failed + totals.failed, skipped: before.skipped + totals.skipped };
      fs.writeFileSync(file, JSON.stringify(totals));
    }
    const suffix = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
    process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed${suffix}\n`);
  }
}
module.exports = SummaryReporter;
