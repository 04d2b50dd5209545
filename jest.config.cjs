// testTimeout is a global option: project configs cannot raise it, so the end-to-end tests'
// allowance (real DC, real binaries) is set here. Tests that replace the DC
// (`*.exclusive-spec.ts`) are not in these projects: tools/scripts/test.sh runs them afterwards
// with tools/e2e/jest.exclusive.config.cjs.
module.exports = {
  testTimeout: 180_000,
  projects: ['<rootDir>/apps/*/jest.config.cjs', '<rootDir>/libs/*/jest.config.cjs', '<rootDir>/tools/*/jest.config.cjs'],
  reporters: ['default', '<rootDir>/tools/scripts/summary-reporter.cjs'],
};
