// HTTP API (v2) proxy route vs plain Express and vs the REST API's proxy route. One server child
// (three Express apps on three ports: a plain route, httpApi() `ANY /{proxy+}` with payload 2.0,
// apiGateway() `/{proxy+}` AWS_PROXY), each answering `Hello from Lambda!`; autocannon runs here.
// Rounds interleave (order reversed each round); a ratio is the median of per-round ratios.
// Goal: HTTP API / plain ≥ 0.95×. `node bench/http-api.js` on its own, or called by bench/run.js.
// Env: BENCH_HTTP_API_ROUNDS (default 3), BENCH_HTTP_API_DURATION (s per measured run, default 2).

const { spawn } = require('node:child_process');

const TARGET = 0.95;
const HELLO = 'Hello from Lambda!';

function serve() {
  process.on('SIGTERM', () => process.exit(0));
  // The parent asks for this process's CPU time so far (µs): cases run one at a time, so a run's
  // share is steadier than req/s on a busy machine.
  process.on('message', (m) => {
    if (m?.type !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    process.send({ type: 'cpu', micros: user + system });
  });
  const express = require('express');
  const { apiGateway, httpApi } = require('apigw-express');
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const hello = async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: HELLO });
  const apps = {
    plain: express().get('/items/:id', (_req, res) => {
      res.type('text/plain').send(HELLO);
    }),
    httpApi: express().use(
      httpApi({
        logger: quiet,
        functions: { hello },
        routes: { 'ANY /{proxy+}': { integration: { function: 'hello', payloadFormatVersion: '2.0' } } },
      }),
    ),
    rest: express().use(
      apiGateway({
        logger: quiet,
        catchHandlerErrors: false,
        functions: { hello },
        resources: { '/{proxy+}': { ANY: { integration: { type: 'AWS_PROXY', function: 'hello' } } } },
      }),
    ),
  };
  const ports = {};
  let pending = Object.keys(apps).length;
  for (const [name, app] of Object.entries(apps)) {
    const server = app.listen(0, '127.0.0.1', () => {
      ports[name] = server.address().port;
      if (--pending === 0) process.send({ type: 'ready', ports });
    });
  }
}

function startChild() {
  const child = spawn(process.execPath, [__filename, '--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`http-api bench child exited (${code})`)));
    child.once('message', (m) => resolve({ child, ports: m.ports }));
  });
}

function cpuOf(child) {
  return new Promise((resolve) => {
    const onMessage = (m) => {
      if (m?.type !== 'cpu') return;
      child.off('message', onMessage);
      resolve(m.micros);
    };
    child.on('message', onMessage);
    child.send({ type: 'cpu' });
  });
}

async function load(url, duration) {
  const autocannon = require('autocannon');
  const r = await autocannon({ url, connections: 10, duration });
  return { rps: r.requests.average, failures: r.errors + r.non2xx };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function run() {
  const positive = (v, d) => (Number(v) > 0 ? Number(v) : d);
  const rounds = Math.floor(positive(process.env.BENCH_HTTP_API_ROUNDS, 3));
  const duration = positive(process.env.BENCH_HTTP_API_DURATION, 2);
  const { child, ports } = await startChild();
  const urls = {
    plain: `http://127.0.0.1:${ports.plain}/items/42`,
    httpApi: `http://127.0.0.1:${ports.httpApi}/items/42`,
    rest: `http://127.0.0.1:${ports.rest}/prod/items/42`,
  };
  const names = Object.keys(urls);
  const runs = { plain: [], httpApi: [], rest: [] };
  const cpu = { plain: [], httpApi: [], rest: [] };
  let failures = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        await load(urls[name], 1);
        const before = await cpuOf(child);
        const r = await load(urls[name], duration);
        const used = (await cpuOf(child)) - before;
        failures += r.failures;
        runs[name].push(r.rps);
        if (r.rps > 0) cpu[name].push(used / (r.rps * duration));
      }
    }
  } finally {
    child.removeAllListeners('exit');
    child.kill();
  }
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const vsPlain = median(runs.httpApi.map((rps, i) => rps / runs.plain[i]));
  const vsRest = median(runs.httpApi.map((rps, i) => rps / runs.rest[i]));
  console.log(`\nHTTP API (GET /items/42 → ANY /{proxy+}, payload 2.0; ${rounds} round(s) of ${duration}s):`);
  console.log(`  plain Express       req/s ${runs.plain.map(fmt).join(' ')}`);
  console.log(`  HTTP API proxy      req/s ${runs.httpApi.map(fmt).join(' ')}`);
  console.log(`  REST API proxy      req/s ${runs.rest.map(fmt).join(' ')}`);
  console.log(
    `  HTTP API / plain    ${vsPlain.toFixed(3)}  target ≥${TARGET}  ${vsPlain >= TARGET ? 'PASS' : 'FAIL'}`,
  );
  console.log(`  HTTP API / REST API ${vsRest.toFixed(3)}`);
  const us = (name) => median(cpu[name]).toFixed(1);
  console.log(
    `  server CPU per request: plain ${us('plain')} µs, HTTP API ${us('httpApi')} µs, REST API ${us('rest')} µs`,
  );
  if (failures > 0) console.log(`  ${failures} failed request(s)`);
  return failures > 0 ? 1 : 0;
}

if (process.argv.includes('--serve')) serve();
else if (require.main === module) run().then((code) => process.exit(code));

module.exports = { run };
