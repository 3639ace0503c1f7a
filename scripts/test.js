#!/usr/bin/env node
// `npm test`: type check, lint, unit and integration suites on PGlite, the integration suite
// again on PostgreSQL when TEST_DATABASE_URL is set, then the browser journeys in Chromium.
// Ends with one line "N passed, N failed" counting every test run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = 'test-results';
mkdirSync(results, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };

function step(title, command, args, env = {}, after = () => {}) {
  console.log(`\n▶ ${title}`);
  const run = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  after();
  if (run.status !== 0) {
    console.error(`\n✖ ${title} failed (exit ${run.status ?? run.signal}).`);
    finish(run.status || 1);
  }
}

function vitest(title, args, report, env = {}) {
  const file = `${results}/${report}.json`;
  rmSync(file, { force: true });
  // Counted before a failure ends the run, so the closing line tells the failures too.
  step(title, 'npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], env, () => {
    if (!existsSync(file)) return;
    const json = JSON.parse(readFileSync(file, 'utf8'));
    totals.passed += json.numPassedTests;
    totals.failed += json.numFailedTests;
    totals.skipped += json.numPendingTests + json.numTodoTests;
  });
}

function finish(code) {
  console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exit(code);
}

step('Type check (tsc)', 'npx', ['tsc', '--noEmit']);
step('Lint (eslint)', 'npx', ['eslint', '.']);
vitest('Unit and integration tests on PGlite', ['--project', 'unit', '--project', 'integration'], 'pglite', { TEST_DATABASE_URL: '' });

if (process.env.TEST_DATABASE_URL) {
  vitest('Integration tests on PostgreSQL', ['--project', 'integration'], 'postgres');
} else {
  console.log('\n• Integration tests on PostgreSQL skipped: set TEST_DATABASE_URL (for example postgres://postgres@127.0.0.1:5432/postgres) to run them.');
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(chromium)) {
  vitest('Browser journeys in Chromium', ['--config', 'vitest.e2e.config.ts'], 'e2e');
} else if (process.env.CI) {
  console.error(`\n✖ Browser journeys need Chromium at ${chromium}; .ci/run installs it (apt-get install chromium).`);
  finish(1);
} else {
  console.log(`\n• Browser journeys skipped: no Chromium at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH).`);
}
finish(0);
