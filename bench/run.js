// `npm run bench`: apigw-express against plain Express and bare node:http, in one run, on loopback.
//
// The servers run in a child process (bench/server.js) pinned to one core, autocannon runs here
// pinned to the other (taskset; without it, both float). Cases are interleaved over several rounds
// (order reversed each round); a pair's ratio is the median of its per-round ratios. A report, not
// a test: exits 0 when a target is missed, 1 when a request errored or a route answered wrongly.
//
// Env: BENCH_DURATION (s per measured run, default 3), BENCH_WARMUP (s, default 1),
//      BENCH_ROUNDS (default: as many as fit ~110 s, at most 3), BENCH_NO_PIN=1 (no taskset),
//      BENCH_PROFILE=1 (server child runs with --cpu-prof, profiles in bench/.profiles/),
//      BENCH_CASES=expressProxy,expressPlain,expressKeyed,expressKeyedRedis,expressAuthorized,expressNonProxy,barePlain,bareProxy,bareLarge,bareRead,
//                  expressRaw,expressLarge (a subset).

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const autocannon = require('autocannon');
const renderTemplate = require('./render-template');

const CONNECTIONS = 10;
// Two interleaved rounds of every case: one round alone is at the mercy of a burst of background load.
const BUDGET_SECONDS = 110;
const HELLO = 'Hello from Lambda!';
const MY_RESOURCE_PATH = '/prod/my-resource?myParam=Hello%20from%20API%20Gateway!';
// The walkthrough's Lambda payload, byte for byte as API Gateway returns it (issue 3, item 5).
const MY_RESOURCE_BODY = '{"statusCode":200,"body":"\\"Hello from API Gateway!\\""}';

function seconds(value, fallback) {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
}

const DURATION = seconds(process.env.BENCH_DURATION, 3);
const WARMUP = seconds(process.env.BENCH_WARMUP, Math.min(1, DURATION));

/** CPUs this process may use, from the kernel's affinity list (`0-1`, `2,3`, …). */
function allowedCpus() {
  try {
    const line = fs
      .readFileSync('/proc/self/status', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Cpus_allowed_list:'));
    const cpus = [];
    for (const part of line.split(':')[1].trim().split(',')) {
      const [from, to = from] = part.split('-').map(Number);
      for (let c = from; c <= to; c++) cpus.push(c);
    }
    return cpus;
  } catch {
    return [];
  }
}

/** One core for the servers, one for autocannon; falls back to no pinning. */
function choosePinning() {
  if (process.env.BENCH_NO_PIN) return { enabled: false, why: 'BENCH_NO_PIN set' };
  const cpus = allowedCpus();
  if (cpus.length < 2) return { enabled: false, why: `${cpus.length || 'unknown'} CPU(s) allowed` };
  const probe = spawnSync('taskset', ['-c', String(cpus[0]), 'true']);
  if (probe.error || probe.status !== 0) return { enabled: false, why: 'taskset not available' };
  // -a: every thread of this process (V8's and libuv's too), not just the main one.
  const self = spawnSync('taskset', ['-a', '-cp', String(cpus[1]), String(process.pid)]);
  if (self.error || self.status !== 0) return { enabled: false, why: 'taskset could not pin this process' };
  return { enabled: true, server: cpus[0], client: cpus[1] };
}

/** A throwaway redis-server for the Redis cases, when the machine has one; undefined otherwise. */
async function startRedis() {
  const probe = spawnSync('redis-server', ['--version']);
  if (probe.error || probe.status !== 0) return undefined;
  const port = await new Promise((resolve) => {
    const s = require('node:net')
      .createServer()
      .listen(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
  });
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 50; i++) {
    const up = await new Promise((resolve) => {
      const socket = require('node:net').connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return { child, url: `redis://127.0.0.1:${port}` };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  return undefined;
}

function startServer(pin, env = process.env) {
  const script = path.join(__dirname, 'server.js');
  const nodeArgs = [];
  if (process.env.BENCH_PROFILE) {
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.join(__dirname, '.profiles')}`);
  }
  const stdio = ['ignore', 'inherit', 'inherit', 'ipc'];
  const child = pin.enabled
    ? spawn('taskset', ['-c', String(pin.server), process.execPath, ...nodeArgs, script], { stdio, env })
    : spawn(process.execPath, [...nodeArgs, script], { stdio, env });
  return new Promise((resolve, reject) => {
    const onExit = (code, signal) => reject(new Error(`server process exited early (${signal ?? code})`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (message) => {
      child.off('exit', onExit);
      if (message?.type === 'ready') resolve({ child, ...message });
      else reject(new Error(`unexpected message from server: ${JSON.stringify(message)}`));
    });
  });
}

function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
    let logged;
    const timer = setTimeout(() => child.kill(), 5000);
    child.on('message', (m) => {
      if (m?.type === 'stopped') logged = m.logged;
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(logged);
    });
    child.send({ type: 'stop' });
  });
}

/**
 * A JSON document of exactly `bytes` ASCII bytes: order lines as an API would get them (a quote
 * in every few characters, so JSON escaping has work to do), padded with trailing spaces.
 */
function jsonBody(bytes) {
  const lines = [];
  let size = '{"items":[]}'.length;
  for (let i = 0; ; i++) {
    const line = JSON.stringify({
      sku: `SKU-${String(i).padStart(6, '0')}`,
      qty: (i % 9) + 1,
      price: 12.5,
      note: 'Deliver to the back door; ring twice. "Fragile" items inside.',
    });
    if (size + line.length + 1 > bytes) break;
    lines.push(line);
    size += line.length + 1;
  }
  const text = `{"items":[${lines.join(',')}]}`;
  return Buffer.from(text.padEnd(bytes, ' '));
}

// Just above the 5 MiB past which the gateway checks Lambda's 6 MB invoke limit.
const LARGE_BODY = jsonBody(Math.round(5.15 * 1024 * 1024));
const MB_BODY = jsonBody(1_000_000);

function send(c) {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: c.port,
        path: c.path,
        method: c.method ?? 'GET',
        headers: c.headers,
        agent: false,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, body: String(error) }));
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.end(c.requestBody);
  });
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

async function load(c, duration) {
  const r = await autocannon({
    url: `http://127.0.0.1:${c.port}${c.path}`,
    method: c.method ?? 'GET',
    headers: c.headers,
    body: c.requestBody,
    connections: CONNECTIONS,
    duration,
  });
  return {
    rps: r.requests.average,
    p99: r.latency.p99,
    errors: r.errors, // includes timeouts
    non2xx: r.non2xx,
    requests: r.requests.total,
    bytesPerResponse: r.requests.total ? r.throughput.total / r.requests.total : 0,
  };
}

/** A POST case's request: the body, its type, and the size the route answers with. */
function post(body) {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requestBody: body,
    body: String(body.length),
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');

async function main() {
  const started = Date.now();
  const pin = choosePinning();
  const redis = await startRedis();
  const server = await startServer(pin, redis ? { ...process.env, BENCH_REDIS_URL: redis.url } : process.env);
  let exitCode = 0;
  const stopChild = () => {
    if (server.child.exitCode === null) server.child.kill();
    redis?.child.kill();
  };
  process.once('SIGINT', () => {
    stopChild();
    process.exit(130);
  });

  try {
    const { ports } = server;
    const hasMyResource = server.served.includes('/my-resource');
    const noMyResource = server.declared.includes('/my-resource')
      ? `example-app/api.js declares /my-resource but the build cannot serve it: ${server.dropped}`
      : 'example-app/api.js declares no /my-resource yet';
    if (server.dropped) {
      console.log(`Note: proxy-only resources served; the full example API fails: ${server.dropped}\n`);
    }
    // Order keeps each pair adjacent (plain Express sits between both of its partners), and the
    // order is reversed every other round, so drift on this shared machine hits both sides alike.
    const allCases = [
      {
        id: 'expressProxy',
        label: 'Express   GET /prod (proxy)',
        port: ports.express,
        path: '/prod',
        body: HELLO,
      },
      { id: 'expressPlain', label: 'Express   GET /plain', port: ports.express, path: '/plain', body: HELLO },
      // Keyed: the API key looked up, a plan throttle token taken and a quota use counted per request.
      {
        id: 'expressKeyed',
        label: 'Express   GET /prod/keyed (key)',
        port: ports.express,
        path: '/prod/keyed',
        headers: { 'x-api-key': 'bench-key' },
        body: HELLO,
      },
      ports.expressRedis && {
        id: 'expressKeyedRedis',
        label: 'Express   GET /prod/keyed (Redis)',
        port: ports.expressRedis,
        path: '/prod/keyed',
        headers: { 'x-api-key': 'bench-key' },
        body: HELLO,
      },
      // Behind the example's TOKEN authorizer, its result cached after the first request.
      {
        id: 'expressAuthorized',
        label: 'Express   GET /prod/guarded/7 (auth)',
        port: ports.express,
        path: '/prod/guarded/7',
        headers: { authorization: 'allow' },
        body: HELLO,
      },
      hasMyResource && {
        id: 'expressNonProxy',
        label: 'Express   GET /prod/my-resource',
        port: ports.express,
        path: MY_RESOURCE_PATH,
        body: MY_RESOURCE_BODY,
      },
      { id: 'barePlain', label: 'node:http hello-world', port: ports.bareHello, path: '/', body: HELLO },
      {
        id: 'bareProxy',
        label: 'node:http GET /prod (proxy)',
        port: ports.bareGateway,
        path: '/prod',
        body: HELLO,
      },
      {
        id: 'bareLarge',
        label: 'node:http POST 5.15 MiB (proxy)',
        port: ports.bareGateway,
        path: '/prod/upload',
        ...post(LARGE_BODY),
      },
      {
        id: 'bareRead',
        label: 'node:http POST 5.15 MiB read',
        port: ports.bareRead,
        path: '/',
        ...post(LARGE_BODY),
      },
      {
        id: 'expressRaw',
        label: 'Express   POST 1 MB raw()',
        port: ports.express,
        path: '/raw',
        ...post(MB_BODY),
      },
      {
        id: 'expressLarge',
        label: 'Express   POST 1 MB (proxy)',
        port: ports.express,
        path: '/prod/upload',
        ...post(MB_BODY),
      },
    ].filter(Boolean);
    const only = process.env.BENCH_CASES?.split(',').map((id) => id.trim());
    const cases = only ? allCases.filter((c) => only.includes(c.id)) : allCases;
    const pairs = [
      {
        label: 'Express: keyed, throttled, metered vs open',
        ours: 'expressKeyed',
        plain: 'expressProxy',
        target: 0.85,
      },
      {
        label: 'Express: keyed on Redis vs open (report)',
        ours: 'expressKeyedRedis',
        plain: 'expressProxy',
        skip: !ports.expressRedis && 'no redis-server on this machine',
      },
      {
        label: 'Express: cached TOKEN authorizer vs open',
        ours: 'expressAuthorized',
        plain: 'expressProxy',
        target: 0.9,
      },
      {
        label: 'Express: proxy /prod vs plain route',
        ours: 'expressProxy',
        plain: 'expressPlain',
        target: 0.85,
      },
      {
        label: 'node:http: gateway vs hello-world',
        ours: 'bareProxy',
        plain: 'barePlain',
        target: 0.7,
      },
      {
        label: 'node:http: 5.15 MiB POST proxy vs read',
        ours: 'bareLarge',
        plain: 'bareRead',
        target: 0.8,
      },
      {
        // Judged by server CPU: the client's own cost of sending 1 MB blurs req/s.
        label: 'Express: 1 MB POST proxy vs raw()',
        ours: 'expressLarge',
        plain: 'expressRaw',
        target: 0.9,
        by: 'cpu',
      },
      hasMyResource
        ? {
            label: 'Express: non-proxy /my-resource vs plain',
            ours: 'expressNonProxy',
            plain: 'expressPlain',
            target: 0.75,
          }
        : { label: 'Express: non-proxy /my-resource vs plain', target: 0.75, skip: noMyResource },
    ];

    // Each route must answer what the walkthrough says before it is worth timing.
    const sanity = [];
    for (const c of cases) {
      const r = await send(c);
      if (r.status !== 200 || r.body !== c.body) {
        sanity.push(
          `${c.label} (${c.path}): ${r.status} ${JSON.stringify(r.body.slice(0, 200))}, want 200 ${JSON.stringify(c.body)}`,
        );
      }
    }
    if (sanity.length > 0) {
      exitCode = 1;
      console.log('Sanity check FAILED (timing anyway):');
      for (const line of sanity) console.log(`  ${line}`);
    }

    const perRun = DURATION + WARMUP;
    const rounds = process.env.BENCH_ROUNDS
      ? Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS)) || 1)
      : Math.max(1, Math.min(3, Math.floor(BUDGET_SECONDS / (cases.length * perRun))));
    console.log(
      `apigw-express bench: node ${process.version}, express ${require('express/package.json').version}, ` +
        `autocannon ${require('autocannon/package.json').version}; ${CONNECTIONS} connections, keep-alive, ` +
        `${WARMUP}s warmup + ${DURATION}s measured per run, ${rounds} interleaved round(s)`,
    );
    console.log(
      pin.enabled
        ? `CPU pinning: servers on CPU ${pin.server}, autocannon on CPU ${pin.client} (taskset)`
        : `CPU pinning: off (${pin.why}); servers and autocannon share the CPUs`,
    );
    console.log(`Estimated time: ~${Math.ceil(rounds * cases.length * perRun)} s\n`);

    const results = Object.fromEntries(cases.map((c) => [c.id, []]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? cases : [...cases].reverse();
      for (const c of order) {
        const warm = await load(c, WARMUP);
        const cpuBefore = await serverCpu(server.child);
        const run = await load(c, DURATION);
        // Completed requests include the few still in flight at the end: close enough at ~10^5.
        run.cpuPerRequest = run.requests ? ((await serverCpu(server.child)) - cpuBefore) / run.requests : 0;
        run.warmupFailures = warm.errors + warm.non2xx;
        results[c.id].push(run);
      }
    }

    // Per case: best round by req/s; errors summed over every run, warmups included.
    const summary = {};
    console.log(
      `${pad('case', 32)}${lpad('req/s best', 11)}  ${pad('all rounds', 24)}${lpad('p99 ms', 7)}${lpad('errors', 8)}${lpad('non-2xx', 9)}${lpad('B/resp', 8)}${lpad('srv µs/req', 12)}`,
    );
    for (const c of cases) {
      const runs = results[c.id];
      const best = runs.reduce((a, b) => (b.rps > a.rps ? b : a));
      const errors = runs.reduce((n, r) => n + r.errors + r.warmupFailures, 0);
      const non2xx = runs.reduce((n, r) => n + r.non2xx, 0);
      summary[c.id] = { best, runs };
      if (errors + non2xx > 0) exitCode = 1;
      console.log(
        `${pad(c.label, 32)}${lpad(fmtInt(best.rps), 11)}  ${pad(runs.map((r) => fmtInt(r.rps)).join(' '), 24)}` +
          `${lpad(best.p99, 7)}${lpad(errors, 8)}${lpad(non2xx, 9)}${lpad(Math.round(best.bytesPerResponse), 8)}` +
          `${lpad(median(runs.map((r) => r.cpuPerRequest)).toFixed(1), 12)}`,
      );
    }

    // Headline: the median of the per-round ratios (each round's two runs are back to back, so
    // a burst of background load rarely hits only one side); best/best and the server-CPU-per-request
    // ratio are shown beside it as cross-checks.
    console.log(
      `\n${pad('pair (ours / plain)', 42)}${lpad('ratio', 6)}  ${pad('per round', 16)}${lpad('best/best', 9)}${lpad('by CPU', 8)}  ${pad('target', 7)}verdict`,
    );
    for (const p of pairs) {
      const target = p.target === undefined ? '—' : `≥${p.target}`;
      const missing = !p.skip && (!summary[p.ours] || !summary[p.plain]) && 'not in BENCH_CASES';
      if (p.skip || missing) {
        console.log(
          `${pad(p.label, 42)}${lpad('—', 6)}  ${pad('', 16)}${lpad('', 17)}  ${pad(target, 7)}SKIPPED`,
        );
        console.log(`  (${p.skip || missing})`);
        continue;
      }
      const ours = summary[p.ours];
      const plain = summary[p.plain];
      const perRound = ours.runs.map((r, i) => r.rps / plain.runs[i].rps);
      const ratio = median(perRound);
      // Server CPU per request, plain / ours: what the ratio would be if the server core were all that mattered.
      const byCpu =
        median(plain.runs.map((r) => r.cpuPerRequest)) / median(ours.runs.map((r) => r.cpuPerRequest));
      const judged = p.by === 'cpu' ? byCpu : ratio;
      const verdict =
        p.target === undefined
          ? 'report only'
          : `${judged >= p.target ? 'PASS' : 'FAIL'}${p.by === 'cpu' ? ' (by CPU)' : ''}`;
      console.log(
        `${pad(p.label, 42)}${lpad(ratio.toFixed(3), 6)}  ${pad(perRound.map((r) => r.toFixed(2)).join(' '), 16)}` +
          `${lpad((ours.best.rps / plain.best.rps).toFixed(3), 9)}${lpad(byCpu.toFixed(3), 8)}  ${pad(target, 7)}${verdict}`,
      );
    }

    const logged = await stopServer(server.child);
    redis?.child.kill();
    if (logged && (logged.error > 0 || logged.warn > 0)) {
      console.log(
        `\nGateway logger: ${logged.error} error(s), ${logged.warn} warning(s) (silenced during the run)`,
      );
      if (logged.lastError) console.log(`  last error: ${logged.lastError.slice(0, 300)}`);
    }
    if (process.env.BENCH_PROFILE)
      console.log(`\nServer CPU profile written to ${path.join(__dirname, '.profiles')}/`);
    console.log('');
    renderTemplate.run();
    if ((await require('./access-log').run()) !== 0) exitCode = 1;
    if (!(await require('./isolation').run())) exitCode = 1;
    if ((await require('./http-proxy').run()) !== 0) exitCode = 1;
    if ((await require('./aws-service').run()) !== 0) exitCode = 1;
    if ((await require('./http-api').run()) !== 0) exitCode = 1;
    console.log(
      `\nTotal bench time ${((Date.now() - started) / 1000).toFixed(1)} s${exitCode ? '; exit 1: errors above' : ''}`,
    );
  } finally {
    stopChild();
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('bench failed:', error);
    process.exit(2);
  },
);
