#!/usr/bin/env node
// The `dayone` command. TypeScript sources run through tsx's loader, so there is no build step.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

// The server runs without V8's allocation-site pretenuring. Under search load V8 had moved
// allocation sites to the old generation whose objects are garbage a moment later (the index load,
// whose objects all survive, is the likely teacher): that garbage then kept the young objects it
// points to alive, and every young collection paused 3–5 ms and promoted about 1.7 MB, where without
// pretenuring it pauses about 1 ms and promotes nothing (docs/search.md, "Serving it over HTTP").
// Set before the app allocates anything. Other commands (import, seed) keep V8's default.
if (process.argv[2] === 'serve') setFlagsFromString('--no-allocation-site-pretenuring');

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
