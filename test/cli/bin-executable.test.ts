import { statSync } from 'node:fs';
import path from 'node:path';

// `npx apigw-express` runs package.json's `bin` file itself, so every build must leave it
// executable: tsc writes files 0644, and a rebuild (`npm run bench` rebuilds a stale dist) would
// otherwise answer `sh: apigw-express: Permission denied`.
const BIN = path.join(__dirname, '../../dist/cjs/cli.js');

describe('the built command', () => {
  it('is executable by everyone who can read it', () => {
    const { mode } = statSync(BIN);
    expect((mode & 0o755).toString(8)).toBe('755');
  });
});
