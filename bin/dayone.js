#!/usr/bin/env node
// The `dayone` command. TypeScript sources run through tsx's loader, so there is no build step.
import { register } from 'tsx/esm/api';

// React renders several times faster in production mode; tests and development tools set their own.
process.env.NODE_ENV ??= 'production';
register();
const { runCli } = await import('../src/cli/main.ts');
const result = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
if (result !== 'running') process.exitCode = result;
