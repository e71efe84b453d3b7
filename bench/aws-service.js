// A DynamoDB GetItem through an AWS service integration (API → DynamoDB, no Lambda) vs the same
// call made from a Lambda proxy function (a signed fetch, as the SDK would make it), both through
// the gateway against one dynalite. Goal: the service integration is faster (ratio ≥ 1).
// `node bench/aws-service.js` on its own, or called by bench/run.js at the end.
// Env: BENCH_AWS_SERVICE_ROUNDS (default 3), BENCH_AWS_SERVICE_DURATION (s per measured run, default 2).

const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');

const KEYS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };
const TARGET = 1;

async function ddb(url, action, input) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${action}`,
      'x-amz-date': '20260101T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
    },
    body: JSON.stringify(input),
  });
  return res.json();
}

/** The child: dynalite and the two apps on ephemeral ports, reported over IPC. */
async function serve() {
  const express = require('express');
  const dynalite = require('dynalite');
  const { apiGateway } = require('apigw-express');
  const { signRequest } = require(
    path.join(__dirname, '../dist/cjs/integrations/aws-service/sign-request.js'),
  );
  const store = dynalite({ createTableMs: 0 });
  await new Promise((resolve) => store.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${store.address().port}`;
  await ddb(endpoint, 'CreateTable', {
    TableName: 'Items',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  await ddb(endpoint, 'PutItem', { TableName: 'Items', Item: { id: { S: 'a' }, name: { S: 'Widget' } } });

  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const service = {
    logger: quiet,
    awsServiceCredentials: KEYS,
    awsEndpoints: { dynamodb: endpoint },
    resources: {
      '/items/{id}': {
        GET: {
          integration: {
            type: 'AWS',
            uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/GetItem',
            httpMethod: 'POST',
            requestTemplates: {
              'application/json': `{"TableName": "Items", "Key": {"id": {"S": "$input.params('id')"}}}`,
            },
            integrationResponses: [
              {
                statusCode: '200',
                responseTemplates: { 'application/json': `{"name": "$input.path('$.Item.name.S')"}` },
              },
            ],
          },
        },
      },
    },
  };
  // What a function using the SDK does: sign, send, parse, answer.
  const getItem = async (event) => {
    const body = Buffer.from(
      JSON.stringify({ TableName: 'Items', Key: { id: { S: event.pathParameters.id } } }),
    );
    const headers = new Map([
      ['content-type', 'application/x-amz-json-1.0'],
      ['x-amz-target', 'DynamoDB_20120810.GetItem'],
    ]);
    const url = new URL(endpoint);
    signRequest({ method: 'POST', url, headers, body }, KEYS, 'us-east-1', 'dynamodb', Date.now());
    headers.delete('host');
    const res = await fetch(url, { method: 'POST', headers: [...headers], body });
    const out = await res.json();
    return { statusCode: 200, body: JSON.stringify({ name: out.Item.name.S }) };
  };
  const lambda = {
    logger: quiet,
    functions: { getItem },
    resources: { '/items/{id}': { GET: { integration: { type: 'AWS_PROXY', function: 'getItem' } } } },
  };
  const ports = {};
  const apps = { service, lambda };
  let pending = 2;
  for (const [name, options] of Object.entries(apps)) {
    const app = express();
    app.use(apiGateway(options));
    const server = app.listen(0, '127.0.0.1', () => {
      ports[name] = server.address().port;
      if (--pending === 0) process.send({ type: 'ready', ports });
    });
  }
  process.on('message', (m) => {
    if (m?.type === 'stop') process.exit(0);
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
    child.once('exit', (code) => reject(new Error(`aws-service bench server exited (${code})`)));
    child.once('message', (m) => resolve({ child, ports: m.ports }));
  });
}

async function load(port, duration) {
  const autocannon = require('autocannon');
  const r = await autocannon({ url: `http://127.0.0.1:${port}/prod/items/a`, connections: 10, duration });
  return { rps: r.requests.average, p50: r.latency.p50, failures: r.errors + r.non2xx };
}

async function run() {
  const rounds = Number(process.env.BENCH_AWS_SERVICE_ROUNDS) || 3;
  const duration = Number(process.env.BENCH_AWS_SERVICE_DURATION) || 2;
  const { child, ports } = await startChild();
  try {
    for (const port of Object.values(ports)) {
      const res = await fetch(`http://127.0.0.1:${port}/prod/items/a`);
      const text = await res.text();
      if (res.status !== 200 || JSON.parse(text).name !== 'Widget') throw new Error(`wrong answer: ${text}`);
      await load(port, 1);
    }
    const ratios = [];
    const best = { service: 0, lambda: 0 };
    let failures = 0;
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? ['service', 'lambda'] : ['lambda', 'service'];
      const got = {};
      for (const name of order) {
        got[name] = await load(ports[name], duration);
        failures += got[name].failures;
        best[name] = Math.max(best[name], got[name].rps);
      }
      ratios.push(got.service.rps / got.lambda.rps);
    }
    ratios.sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)];
    console.log(
      '\nAWS service integration (API → DynamoDB GetItem) vs Lambda proxy making the same signed call',
    );
    console.log(
      `  service ${best.service.toFixed(0)} req/s, lambda ${best.lambda.toFixed(0)} req/s; median ratio ${median.toFixed(3)} (goal ≥ ${TARGET}): ${median >= TARGET ? 'PASS' : 'FAIL'}`,
    );
    return failures > 0 ? 1 : 0;
  } finally {
    child.removeAllListeners('exit');
    child.kill();
  }
}

if (process.argv.includes('--serve')) serve();
else if (require.main === module) run().then((code) => process.exit(code));

module.exports = { run };
