// The second jest pass of `npm test` (tools/scripts/test.sh): end-to-end tests that stop or
// replace the whole Samba DC (`samba-dc save`/`restore`), so nothing else may use it meanwhile.
// Run after the main pass, one file at a time: npx jest -c tools/e2e/jest.exclusive.config.cjs --runInBand
const path = require('node:path');
const e2e = require('./jest.config.cjs');

module.exports = {
  ...e2e,
  displayName: 'e2e-exclusive',
  testMatch: ['<rootDir>/src/**/*.exclusive-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  reporters: ['default', path.join(__dirname, '..', 'scripts', 'summary-reporter.cjs')],
};
