#!/usr/bin/env bash
# Installs the packed package into a fresh folder as a user would (`npm install <tarball> express`),
# then loads it the ways users do: require, import, its types under node16 and bundler module
# resolution, and the CLI. Expects dist built (`npm ci` builds it through `prepare`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tsc="$root/node_modules/.bin/tsc"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
node scripts/build-if-stale.js
# The build is done: pack without running `prepare` again.
npm pack --ignore-scripts --loglevel=warn --pack-destination "$work" >/dev/null
tarball="$(ls "$work"/apigw-express-*.tgz)"
contents="$(tar -tzf "$tarball")"
for file in dist/cjs/index.js dist/esm/index.js dist/cjs/cli.js; do
  grep -qx "package/$file" <<<"$contents" || { echo "check-install: the tarball has no $file" >&2; exit 1; }
done

app="$work/app"
mkdir "$app"
cd "$app"
npm init -y >/dev/null
npm install --prefer-offline --no-audit --no-fund --loglevel=error "$tarball" express
echo "check-install: installed in ${SECONDS}s, node_modules is $(du -sh node_modules | cut -f1)"
# Optional peers stay out of a plain install.
for optional in tsx esbuild @smithy/signature-v4 ioredis; do
  if [ -e "node_modules/$optional" ]; then echo "check-install: $optional was installed" >&2; exit 1; fi
done

cat > api.cjs <<'JS'
// One AWS_PROXY route, inline handler: what the README's quick start serves.
module.exports = {
  stageName: 'prod',
  functions: { hello: async (event) => ({ statusCode: 200, body: `Hello ${event.pathParameters.name}` }) },
  resources: { '/hello/{name}': { GET: { integration: { type: 'AWS_PROXY', function: 'hello' } } } },
};
JS

node -e "
const express = require('express');
const { apiGateway, ConfigError } = require('apigw-express');
const { createTestUserPool } = require('apigw-express/testing');
if (typeof ConfigError !== 'function' || typeof createTestUserPool !== 'function') process.exit(1);
const app = express().use(apiGateway(require('./api.cjs')));
const server = app.listen(0, '127.0.0.1', async () => {
  const res = await fetch('http://127.0.0.1:' + server.address().port + '/prod/hello/you');
  const body = await res.text();
  server.close();
  if (res.status !== 200 || body !== 'Hello you') { console.error(res.status, body); process.exit(1); }
  console.log('check-install: require ok (${SECONDS}s)');
});
"
node --input-type=module -e "
import { apiGateway, ConfigError } from 'apigw-express';
import { createTestUserPool } from 'apigw-express/testing';
if (typeof apiGateway !== 'function' || typeof ConfigError !== 'function' || typeof createTestUserPool !== 'function') process.exit(1);
console.log('check-install: import ok');
"

# A TypeScript handler path without tsx installed: refused at startup, naming the package.
echo 'export const handler = async () => ({ statusCode: 200, body: "ts" });' > handler.ts
tsApi="{ functions: { f: { handler: 'handler.handler' } }, resources: {} }"
echo "require('apigw-express').apiGateway($tsApi);" > ts-handler.cjs
echo "import { apiGateway } from 'apigw-express'; apiGateway($tsApi);" > ts-handler.mjs
for script in ts-handler.cjs ts-handler.mjs; do
  if node "$script" 2>err.txt; then echo "check-install: $script: a .ts handler without tsx was accepted" >&2; exit 1; fi
  grep -q 'needs the optional package tsx: npm install tsx' err.txt || { cat err.txt >&2; exit 1; }
done
echo "check-install: a .ts handler without tsx is refused, naming tsx"

cat > types.ts <<'TS'
import { apiGateway, type APIGatewayProxyHandler, type ApiGatewayOptions, ConfigError } from 'apigw-express';
import { createTestUserPool, type TestUserPool } from 'apigw-express/testing';

const hello: APIGatewayProxyHandler = async (event) => ({ statusCode: 200, body: String(event.path) });
const options: ApiGatewayOptions = {
  stageName: 'prod',
  functions: { hello },
  resources: { '/hello': { GET: { integration: { type: 'AWS_PROXY', function: 'hello' } } } },
};
export const middleware = apiGateway(options);
export const pool: TestUserPool = createTestUserPool();
export const isConfigError = (e: unknown): boolean => e instanceof ConfigError;
// Types that resolved to `any` would accept this, and the unused expectation would fail the check.
// @ts-expect-error stageName is a string
apiGateway({ stageName: 42, resources: {} });
TS
cp types.ts types.mts
cp types.ts types.cts
# skipLibCheck as most apps set it (tsc --init does); the expectation above keeps the check honest.
types=(--noEmit --strict --skipLibCheck --target es2022 --types node --typeRoots "$root/node_modules/@types")
"$tsc" "${types[@]}" --module node16 --moduleResolution node16 types.mts types.cts
"$tsc" "${types[@]}" --module esnext --moduleResolution bundler types.ts
echo "check-install: types ok, node16 and bundler (${SECONDS}s)"

cat > openapi.yaml <<'YAML'
openapi: 3.0.1
info: { title: check, version: '1' }
paths:
  /hello:
    get:
      x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' } }
YAML
npx --no-install apigw-express --help >/dev/null
npx --no-install apigw-express routes openapi.yaml | tee routes.txt
grep -q '/hello' routes.txt
echo "check-install: cli ok (${SECONDS}s)"

# With the optional peer installed, the same handler path loads on its first invocation.
npm install --prefer-offline --no-audit --no-fund --loglevel=error tsx >/dev/null
node -e "
const { apiGateway } = require('apigw-express');
const gateway = apiGateway({
  stageName: 'prod',
  functions: { f: { handler: 'handler.handler' } },
  resources: { '/ts': { GET: { integration: { type: 'AWS_PROXY', function: 'f' } } } },
});
const server = require('node:http').createServer((req, res) => gateway(req, res, () => res.end()));
server.listen(0, '127.0.0.1', async () => {
  const res = await fetch('http://127.0.0.1:' + server.address().port + '/prod/ts');
  const body = await res.text();
  server.close();
  if (res.status !== 200 || body !== 'ts') { console.error(res.status, body); process.exit(1); }
});
"
echo "check-install: with tsx installed, the .ts handler runs (${SECONDS}s)"
