// Access logs on vs off: the same proxy route on two Express apps, one writing the console's JSON
// preset to a sink that discards (the cost of collecting and rendering, not of I/O), one without
// access logs; a third adds metrics on a meter whose instruments do nothing (report only).
// Goal: on ≥ 0.95× off. `node bench/access-log.js` on its own, or called by bench/run.js at the end.
// Env: BENCH_ACCESS_LOG_ROUNDS (default 9), BENCH_ACCESS_LOG_DURATION (s per measured run, default 1).

const { spawn, spawnSync } = require('node:child_process');

const HELLO = 'Hello from Lambda!';
const JSON_FORMAT =
  '{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "caller":"$context.identity.caller", "user":"$context.identity.user", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod", "resourcePath":"$context.resourcePath", "status":"$context.status", "protocol":"$context.protocol", "responseLength":"$context.responseLength" }';
const TARGET = 0.95;

/** The child: three apps on ephemeral ports, reported over IPC. */
function serve() {
  const express = require('express');
  const { apiGateway } = require('apigw-express');
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const base = {
    logger: quiet,
    functions: { hello: async () => ({ statusCode: 200, body: HELLO }) },
    resources: { '/': { GET: { integration: { type: 'AWS_PROXY', function: 'hello' } } } },
  };
  let lines = 0;
  const accessLogSettings = { format: JSON_FORMAT, destination: () => lines++ };
  const noop = { add() {}, record() {} };
  const meter = { createCounter: () => noop, createHistogram: () => noop };
  const apps = {
    off: base,
    on: { ...base, accessLogSettings },
    metrics: { ...base, accessLogSettings, metrics: { meter } },
  };
  const ports = {};
  let pending = Object.keys(apps).length;
  for (const [name, options] of Object.entries(apps)) {
    const app = express();
    app.use(apiGateway(options));
    const server = app.listen(0, '127.0.0.1', () => {
      ports[name] = server.address().port;
      if (--pending === 0) process.send({ type: 'ready', ports });
    });
  }
  process.on('message', (m) => {
    if (m?.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send({ type: 'cpu', micros: user + system });
    }
    if (m?.type === 'stop') {
      process.send({ type: 'stopped', lines });
      process.exit(0);
    }
  });
}

function startChild() {
  const cpus = spawnSync('nproc').stdout?.toString().trim();
  const pinned = Number(cpus) >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  const args = [__filename, '--serve'];
  const stdio = ['ignore', 'inherit', 'inherit', 'ipc'];
  const child = pinned
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio })
    : spawn(process.execPath, args, { stdio });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`access-log bench server exited (${code})`)));
    child.once('message', (m) => resolve({ child, ports: m.ports, pinned }));
  });
}

async function load(port, duration) {
  const autocannon = require('autocannon');
  const r = await autocannon({ url: `http://127.0.0.1:${port}/prod`, connections: 10, duration });
  return { rps: r.requests.average, failures: r.errors + r.non2xx };
}

/** The server child's CPU time so far, in µs. */
function serverCpu(child) {
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

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Interleaved rounds (order reversed each round); the ratio is the median of per-round ratios. */
async function run() {
  // Many short rounds: on a shared machine a median over 9 ratios of 1 s runs moves less from
  // one run to the next than one over 3 ratios of 3 s runs.
  const duration =
    Number(process.env.BENCH_ACCESS_LOG_DURATION) > 0 ? Number(process.env.BENCH_ACCESS_LOG_DURATION) : 1;
  const rounds =
    Number(process.env.BENCH_ACCESS_LOG_ROUNDS) > 0
      ? Math.floor(Number(process.env.BENCH_ACCESS_LOG_ROUNDS))
      : 9;
  const { child, ports, pinned } = await startChild();
  const names = ['off', 'on', 'metrics'];
  const runs = { off: [], on: [], metrics: [] };
  const cpu = { off: [], on: [], metrics: [] };
  let failures = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        await load(ports[name], 1);
        const before = await serverCpu(child);
        const r = await load(ports[name], duration);
        const used = (await serverCpu(child)) - before;
        failures += r.failures;
        runs[name].push(r.rps);
        cpu[name].push(r.rps > 0 ? used / (r.rps * duration) : 0);
      }
    }
  } finally {
    child.removeAllListeners('exit');
    child.send({ type: 'stop' });
  }
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  console.log(
    `\nAccess logs (Express, GET /prod proxy, ${rounds} round(s) of ${duration}s, server ${pinned ? 'pinned to CPU 0' : 'not pinned'}):`,
  );
  for (const name of names) {
    console.log(
      `  ${name.padEnd(8)} req/s ${runs[name].map(fmt).join(' ').padEnd(36)} server µs/req ${median(cpu[name]).toFixed(1)}`,
    );
  }
  // Beside req/s (at the mercy of whatever else the machine runs), the server's own CPU per request.
  const ratio = (name) => median(runs[name].map((rps, i) => rps / runs.off[i]));
  const byCpu = (name) => median(cpu.off) / median(cpu[name]);
  const on = ratio('on');
  console.log(
    `  access logs on / off         ${on.toFixed(3)}  by CPU ${byCpu('on').toFixed(3)}  target ≥${TARGET}  ${on >= TARGET ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `  access logs + metrics / off  ${ratio('metrics').toFixed(3)}  by CPU ${byCpu('metrics').toFixed(3)}  report only`,
  );
  if (failures > 0) console.log(`  ${failures} failed request(s)`);
  return failures > 0 ? 1 : 0;
}

if (process.argv.includes('--serve')) serve();
else if (require.main === module) run().then((code) => process.exit(code));

module.exports = { run };
