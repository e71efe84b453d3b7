// HTTP_PROXY through the gateway vs the same backend called directly. The backend (bare node:http,
// a small JSON answer) and the gateway (Express + apiGateway, `/{proxy+}` → the backend over
// undici's keep-alive pool) run in two child processes; autocannon runs here. Rounds interleave
// (order reversed each round); the ratio is the median of per-round ratios. Goal: ≥ 0.7×.
// `node bench/http-proxy.js` on its own, or called by bench/run.js at the end.
// Env: BENCH_HTTP_PROXY_ROUNDS (default 5), BENCH_HTTP_PROXY_DURATION (s per measured run, default 2).

const { spawn } = require('node:child_process');

const TARGET = 0.7;
const BODY = JSON.stringify({ id: 42, name: 'widget', tags: ['a', 'b'] });

/** Answers the parent's `cpu` question with this process's CPU time so far, in µs. */
function reportCpu() {
  process.on('message', (m) => {
    if (m?.type !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    process.send({ type: 'cpu', micros: user + system });
  });
}

function serveBackend() {
  reportCpu();
  const http = require('node:http');
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(BODY) });
      res.end(BODY);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
}

function serveGateway(backendPort) {
  // A clean exit on kill, so that --cpu-prof writes its profile.
  process.on('SIGTERM', () => process.exit(0));
  reportCpu();
  const express = require('express');
  const { apiGateway } = require('apigw-express');
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const app = express();
  app.use(
    apiGateway({
      logger: quiet,
      resources: {
        '/{proxy+}': {
          ANY: {
            integration: {
              type: 'HTTP_PROXY',
              httpMethod: 'ANY',
              uri: `http://127.0.0.1:${backendPort}/{proxy}`,
              requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
            },
          },
        },
      },
    }),
  );
  const server = app.listen(0, '127.0.0.1', () =>
    process.send({ type: 'ready', port: server.address().port }),
  );
}

function startChild(args) {
  const child = spawn(process.execPath, [__filename, ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`http-proxy bench child exited (${code})`)));
    child.once('message', (m) => resolve({ child, port: m.port }));
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
  const rounds = Math.floor(positive(process.env.BENCH_HTTP_PROXY_ROUNDS, 5));
  const duration = positive(process.env.BENCH_HTTP_PROXY_DURATION, 2);
  const backend = await startChild(['--serve-backend']);
  const gateway = await startChild(['--serve-gateway', String(backend.port)]);
  const urls = {
    direct: `http://127.0.0.1:${backend.port}/items/42`,
    gateway: `http://127.0.0.1:${gateway.port}/prod/items/42`,
  };
  const runs = { direct: [], gateway: [] };
  // CPU µs per request: the backend's when called directly, the gateway process's own when proxied.
  const cpu = { backend: [], gateway: [] };
  let failures = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['direct', 'gateway'] : ['gateway', 'direct'];
      for (const name of order) {
        await load(urls[name], 1);
        const measured = name === 'direct' ? backend.child : gateway.child;
        const before = await cpuOf(measured);
        const r = await load(urls[name], duration);
        const used = (await cpuOf(measured)) - before;
        failures += r.failures;
        runs[name].push(r.rps);
        if (r.rps > 0) cpu[name === 'direct' ? 'backend' : 'gateway'].push(used / (r.rps * duration));
      }
    }
  } finally {
    for (const { child } of [gateway, backend]) {
      child.removeAllListeners('exit');
      child.kill();
    }
  }
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const ratio = median(runs.gateway.map((rps, i) => rps / runs.direct[i]));
  console.log(`\nHTTP_PROXY (GET /prod/items/42 → node:http backend, ${rounds} round(s) of ${duration}s):`);
  console.log(`  backend direct   req/s ${runs.direct.map(fmt).join(' ')}`);
  console.log(`  through gateway  req/s ${runs.gateway.map(fmt).join(' ')}`);
  console.log(
    `  gateway / direct ${ratio.toFixed(3)}  target ≥${TARGET}  ${ratio >= TARGET ? 'PASS' : 'FAIL'}`,
  );
  // Less at the mercy of other load than req/s: the CPU each request costs each process.
  const b = median(cpu.backend);
  const g = median(cpu.gateway);
  console.log(
    `  CPU per request: backend ${b.toFixed(1)} µs, gateway process ${g.toFixed(1)} µs (its own work on top)`,
  );
  if (failures > 0) console.log(`  ${failures} failed request(s)`);
  return failures > 0 ? 1 : 0;
}

if (process.argv.includes('--serve-backend')) serveBackend();
else if (process.argv.includes('--serve-gateway'))
  serveGateway(process.argv[process.argv.indexOf('--serve-gateway') + 1]);
else if (require.main === module) run().then((code) => process.exit(code));

module.exports = { run };
