// Builds dist only when a source or build setting changed since the last build: `npm ci` (and any
// install of this folder) already built it through `prepare`, so `npm start` right after does not.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
// The build writes this file last.
const stamp = path.join(root, 'dist/esm/package.json');

function newest(file) {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const name of fs.readdirSync(file)) latest = Math.max(latest, newest(path.join(file, name)));
  return latest;
}

const inputs = [
  'src',
  'package.json',
  ...fs.readdirSync(root).filter((name) => /^tsconfig.*\.json$/.test(name)),
];
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const changed = Math.max(...inputs.map((name) => newest(path.join(root, name))));
if (changed > built) {
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
