#!/usr/bin/env node
// The apigw-express command: serve, routes and export an API from a definition or an options module.
import { runCli } from './cli/run-cli.js';

runCli(process.argv.slice(2)).then((code) => {
  // Once stdout has taken everything written (a piped export can be large), exit with the code.
  process.stdout.write('', () => process.exit(code));
});
