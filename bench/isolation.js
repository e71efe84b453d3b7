// Isolated execution environments: the same AWS_PROXY function in Express, in-process against
// `isolation: 'process'` (goal: isolated ≥ 0.5× in-process), and the cold start of an isolated
// function (first request after the gateway starts, its Init phase included). Called by
// bench/run.js at the end; `node bench/isolation.js` on its own (after `npm run build`).
//
// The server runs in a child process (this file with `serve`), pinned to one core when taskset
// is there; the function's environments are its children, so they share that core, as the
// in-process function does.

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const DIST = path.join(__dirname, '..', 'dist', 'cjs', 'index.js');
const HELLO = 'Hello from Lambda!';

/** A code root with one handler, as a deployed function's. */
function codeRoot() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apigw-bench-isolation-'));
  fs.writeFileSync(
    path.join(dir, 'index.js'),
    `exports.handler = async () => ({ statusCode: 200, body: ${JSON.stringify(HELLO)} });\n`,
  );
  return dir;
}

function gatewayOptions(dir, isolation, basePath) {
  return {
    isolation,
    basePath,
    logger: { warn() {}, error() {} },
    functions: { hello: { handler: 'index.handler', codeUri: dir } },
    resources: { '/hello': { GET: { integration: { type: 'AWS_PROXY', function: 'hello' } } } },
  };
}

/** `node bench/isolation.js serve`: Express with both gateways; answers `{ port }` over IPC. */
async function serve() {
  const { apiGateway } = require(DIST);
  const express = require('express');
  const dir = codeRoot();
  const inProcess = apiGateway(gatewayOptions(dir, 'none', '/in-process'));
  const isolated = apiGateway(gatewayOptions(dir, 'process', '/isolated'));
  const app = express();
  app.use(inProcess);
  app.use(isolated);
  // The function's own log lines would flood the terminal: START/END/REPORT per request.
  process.stdout.write = () => true;
  const server = app.listen(0, '127.0.0.1', () =>
    process.send({ type: 'ready', port: server.address().port }),
  );
  process.on('message', async (m) => {
    if (m?.type !== 'stop') return;
    server.close();
    await Promise.all([inProcess.close(), isolated.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}

function get(port, route) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: route, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
      .on('error', reject);
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Cold starts, in this process: a new gateway each time, the first request's latency against the second's. */
async function coldStarts(times) {
  const { apiGateway } = require(DIST);
  const dir = codeRoot();
  const write = process.stdout.write;
  const cold = [];
  const warm = [];
  try {
    process.stdout.write = () => true;
    for (let i = 0; i < times; i++) {
      const gateway = apiGateway(gatewayOptions(dir, 'process', '/isolated'));
      const server = http.createServer((req, res) => gateway(req, res));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address();
      let t = performance.now();
      const first = await get(port, '/isolated/hello');
      cold.push(performance.now() - t);
      t = performance.now();
      await get(port, '/isolated/hello');
      warm.push(performance.now() - t);
      await gateway.close();
      server.close();
      if (first.body !== HELLO) throw new Error(`cold start answered ${first.status} ${first.body}`);
    }
  } finally {
    process.stdout.write = write;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { cold: median(cold), warm: median(warm) };
}

async function run({ duration = Number(process.env.BENCH_DURATION) || 3, rounds = 2 } = {}) {
  const autocannon = require('autocannon');
  console.log('Isolated execution environments (AWS_PROXY in Express)');
  const pin =
    !process.env.BENCH_NO_PIN &&
    spawnSync('taskset', ['-c', '0', 'true']).status === 0 &&
    os.availableParallelism() > 1;
  const args = [__filename, 'serve'];
  const stdio = ['ignore', 'inherit', 'inherit', 'ipc'];
  const child = pin
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio })
    : spawn(process.execPath, args, { stdio });
  const { port } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`isolation bench server exited (${code})`)));
  });
  const result = { 'in-process': [], isolated: [] };
  let failures = 0;
  try {
    for (const name of Object.keys(result)) {
      // Warm: the isolated side's environments start here, not in the measured run.
      await autocannon({ url: `http://127.0.0.1:${port}/${name}/hello`, connections: 10, duration: 1 });
    }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['in-process', 'isolated'] : ['isolated', 'in-process'];
      for (const name of order) {
        const r = await autocannon({
          url: `http://127.0.0.1:${port}/${name}/hello`,
          connections: 10,
          duration,
        });
        failures += r.errors + r.non2xx;
        result[name].push(r.requests.average);
      }
    }
  } finally {
    child.send({ type: 'stop' });
  }
  const ratios = result.isolated.map((rps, i) => rps / result['in-process'][i]);
  const ratio = median(ratios);
  console.log(`  in-process   ${result['in-process'].map((r) => Math.round(r)).join(' ')} req/s`);
  console.log(`  isolated     ${result.isolated.map((r) => Math.round(r)).join(' ')} req/s`);
  console.log(
    `  ratio        ${ratio.toFixed(3)} (target ≥0.5) ${ratio >= 0.5 ? 'PASS' : 'FAIL'}${failures ? `; ${failures} failed requests` : ''}`,
  );
  const starts = await coldStarts(5);
  console.log(
    `  cold start   ${starts.cold.toFixed(1)} ms to the first answer (a warm call: ${starts.warm.toFixed(1)} ms), median of 5`,
  );
  return failures === 0;
}

if (require.main === module) {
  if (process.argv[2] === 'serve') serve();
  else run().then((ok) => process.exit(ok ? 0 : 1));
}

module.exports = { run };
