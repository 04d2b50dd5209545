// The e2e test environment: Node's, plus the removal of the temporary directories a test file
// made with tempDir() (stores, agent state, spools: hundreds of MB for the stalled-peer specs)
// once the file is done, after its own afterAll hooks have stopped the processes using them.
// When a test or hook of the file failed, or an error went unhandled, they stay for a look and
// their paths are printed.
const { rmSync } = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');

/** Whether a test below `block` (jest-circus's describe block) holds an error. */
function anyErrors(block) {
  return (block?.children ?? []).some((child) => (child.type === 'test' ? child.errors.length > 0 : anyErrors(child)));
}

class E2eEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    this.failed = false;
    this.state = undefined;
    // tempDir() (src/processes.ts) adds every directory it makes.
    this.global.__syncreadyTempDirs = [];
  }

  handleTestEvent(event, state) {
    this.state = state;
    if ((event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure') this.failed = true;
  }

  async teardown() {
    try {
      const dirs = this.global.__syncreadyTempDirs ?? [];
      const failed = this.failed || (this.state?.unhandledErrors?.length ?? 0) > 0 || anyErrors(this.state?.rootDescribeBlock);
      if (failed && dirs.length > 0) {
        process.stderr.write(`${this.testPath} failed; its temporary directories stay:\n${dirs.map((d) => `  ${d}\n`).join('')}`);
      } else {
        for (const dir of dirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      }
    } finally {
      await super.teardown();
    }
  }
}

module.exports = E2eEnvironment;
