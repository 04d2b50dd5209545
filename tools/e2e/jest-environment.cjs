// The e2e test environment: Node's, plus the removal of the temporary directories a test file
// made with tempDir() (stores, agent state, spools: hundreds of MB for the stalled-peer specs)
// once the file is done, after its own afterAll hooks have stopped the processes using them.
// When a test or hook of the file failed, they stay for a look and their paths are printed.
const { rmSync } = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');

class E2eEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    this.failed = false;
    // tempDir() (src/processes.ts) adds every directory it makes.
    this.global.__syncreadyTempDirs = [];
  }

  handleTestEvent(event) {
    if ((event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure') this.failed = true;
  }

  async teardown() {
    const dirs = this.global.__syncreadyTempDirs ?? [];
    if (this.failed && dirs.length > 0) {
      process.stderr.write(`${this.testPath} failed; its temporary directories stay:\n${dirs.map((d) => `  ${d}\n`).join('')}`);
    } else {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    }
    await super.teardown();
  }
}

module.exports = E2eEnvironment;
