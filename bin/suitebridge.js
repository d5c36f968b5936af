#!/usr/bin/env node
'use strict';
const path = require('node:path');
const entry = path.join(__dirname, '..', 'build', 'client', 'src', 'cli', 'main.js');
let cli;
try {
  cli = require(entry);
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(entry)) {
    process.stderr.write('suitebridge: the CLI is not built yet. Run `npm run build` (or `npm ci`, which builds) first.\n');
    process.exit(2);
  }
  throw err;
}
cli.main(process.argv).then((code) => { process.exitCode = code; });
