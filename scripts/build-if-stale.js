// `prepare`, `npm start` and `npm run bench`: builds dist only when a source or build setting changed
// since the last build, so `npm ci && npm start` builds once, and installing this folder into an
// app (after `npm install` here) does not build again.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
// The build writes this file last.
const stamp = path.join(root, 'dist/esm/package.json');

/** The newest change under `file`; a folder's own time counts, so a deleted source counts too. */
function newest(file) {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
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
  if (!fs.existsSync(path.join(root, 'node_modules', 'typescript'))) {
    console.error(
      `apigw-express: dist needs building and TypeScript is not installed: run \`npm install\` in ${root} first`,
    );
    process.exit(1);
  }
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
