// Child process of bench/run.js: the servers under test, kept apart from the load generator
// so each gets its own core. Listens on 127.0.0.1 only, on ephemeral ports, and reports them over IPC.

const http = require('node:http');
const express = require('express');
const { apiGateway } = require('apigw-express');
const api = require('../example-app/api');

const HELLO = 'Hello from Lambda!';

// The gateway logs through `logger` (console by default): count instead of printing.
const logged = { warn: 0, error: 0, lastError: undefined };
const logger = {
  debug() {},
  info() {},
  warn() {
    logged.warn++;
  },
  error(...args) {
    logged.error++;
    logged.lastError = args.map((a) => (a instanceof Error ? a.stack : String(a))).join(' ');
  },
};

/**
 * The example API as the build can serve it. While the non-proxy integration is being built
 * (a stale dist/, a type not supported yet), fall back to the proxy-only resources and say why.
 */
function buildOptions() {
  const full = { ...api, logger };
  try {
    apiGateway(full);
    return { options: full, dropped: undefined };
  } catch (error) {
    const resources = {};
    for (const [path, methods] of Object.entries(api.resources)) {
      if (Object.values(methods).every((m) => m?.integration?.type === 'AWS_PROXY'))
        resources[path] = methods;
    }
    const options = { ...full, resources };
    apiGateway(options); // if this throws too, the bench cannot run: let it
    return { options, dropped: `${error?.message ?? error}` };
  }
}
const built = buildOptions();
const { dropped } = built;

// The large-body cases' function: answers the size of the body it got, as the plain routes do.
async function upload(event) {
  return { statusCode: 200, body: String(event.body === null ? 0 : event.body.length) };
}
// The keyed cases: GET /prod/keyed needs `bench-key`, whose plan throttles and meters every request
// (limits high enough never to refuse: the cost of the checks is what is measured).
const options = {
  ...built.options,
  functions: { ...built.options.functions, 'bench-upload': upload },
  apiKeys: [...(built.options.apiKeys ?? []), 'bench-key'],
  usagePlans: [
    ...(built.options.usagePlans ?? []),
    {
      name: 'bench',
      apiKeys: ['bench-key'],
      throttle: { rateLimit: 1e9, burstLimit: 1e9 },
      quota: { limit: 1e12, period: 'DAY' },
    },
  ],
  resources: {
    ...built.options.resources,
    '/upload': { POST: { integration: { type: 'AWS_PROXY', function: 'bench-upload' } } },
    '/keyed': { GET: { apiKeyRequired: true, integration: { type: 'AWS_PROXY', function: 'my-function' } } },
    // The open route's function behind the example's TOKEN authorizer: the guard's cost alone.
    '/guarded/{id}': {
      GET: {
        authorizationType: 'CUSTOM',
        authorizer: 'token-auth',
        integration: { type: 'AWS_PROXY', function: 'my-function' },
      },
    },
  },
};

// 1. Express: the plain route and the gateway in the same app (same express, same process,
//    same keep-alive server). The plain route is registered first so it never touches the gateway.
const app = express();
app.get('/plain', (_req, res) => {
  res.send(HELLO);
});
app.post('/raw', express.raw({ type: () => true, limit: '10mb' }), (req, res) => {
  res.send(String(req.body.length));
});
app.use(apiGateway(options));

// 2. Bare node:http: hello world vs the same middleware as a request listener.
const gateway = apiGateway(options);
const bareHello = http.createServer((_req, res) => {
  res.end(HELLO);
});
// The least a node:http app does with a body: every chunk read, joined, its size answered.
const bareRead = http.createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    chunks.push(chunk);
    size += chunk.length;
  });
  req.on('end', () => {
    res.end(String(Buffer.concat(chunks, size).length));
  });
});
const bareGateway = http.createServer((req, res) => {
  gateway(req, res, () => {
    res.statusCode = 404;
    res.end();
  });
});
const expressServer = http.createServer(app);

const servers = { express: expressServer, bareHello, bareRead, bareGateway };

// 3. With BENCH_REDIS_URL (run.js starts a redis-server when it finds one): the same API counting in Redis.
let redisGateway;
if (process.env.BENCH_REDIS_URL) {
  redisGateway = apiGateway({
    ...options,
    store: { redis: process.env.BENCH_REDIS_URL, keyPrefix: `bench:${process.pid}:` },
  });
  servers.expressRedis = http.createServer(express().use(redisGateway));
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

function stop() {
  for (const server of Object.values(servers)) {
    server.closeAllConnections?.();
    server.close();
  }
  redisGateway?.close().catch(() => {});
  // process.exit (not a signal) so that `--cpu-prof` writes its profile.
  process.send?.({ type: 'stopped', logged }, () => process.exit(0));
}

async function main() {
  const ports = {};
  for (const [name, server] of Object.entries(servers)) ports[name] = await listen(server);
  process.send({
    type: 'ready',
    ports,
    declared: Object.keys(api.resources),
    served: Object.keys(built.options.resources),
    dropped,
    pid: process.pid,
  });
}

process.on('message', (message) => {
  if (message?.type === 'stop') stop();
  else if (message?.type === 'cpu') {
    // Server CPU time (µs, user + system), so run.js can report CPU per request: steadier than req/s.
    const { user, system } = process.cpuUsage();
    process.send({ type: 'cpu', micros: user + system });
  }
});
process.on('disconnect', () => process.exit(0));

main().catch((error) => {
  console.error('bench server failed to start:', error);
  process.exit(1);
});
