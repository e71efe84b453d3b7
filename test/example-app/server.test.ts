import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { asText } from '../support/as-text.js';

// Starts a process on a busy 2-core machine: seconds.
jest.setTimeout(30_000);

const SERVER = path.join(__dirname, '../../example-app/server.js');
const PRELOAD = [require.resolve('tsx/cjs'), path.join(__dirname, 'fixtures/library-from-src.js')];

// `npm start` itself (example-app/server.js), on a free port: it starts dynalite and the inventory
// backend, and the shop curl lines it prints answer through the custom domain.
describe('npm start (example-app/server.js)', () => {
  let child: ChildProcess;
  let output = '';
  let base: string;

  beforeAll(async () => {
    const { PORT: _port, ...env } = process.env;
    child = spawn(process.execPath, [...PRELOAD.flatMap((p) => ['-r', p]), SERVER], {
      env: { ...env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    base = await new Promise<string>((resolve, reject) => {
      const look = (chunk: Buffer) => {
        output += chunk;
        // The banner's lines may arrive in several chunks: wait for its last one.
        const match = /listening on (http:\/\/localhost:\d+)\/prod[\s\S]*<id from the POST>/.exec(output);
        if (match) resolve((match[1] as string).replace('localhost', '127.0.0.1'));
      };
      child.stdout?.on('data', look);
      child.stderr?.on('data', look);
      child.on('close', (code) => reject(new Error(`server.js exited ${code}: ${output}`)));
    });
  });
  afterAll(async () => {
    const closed = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    await closed;
  });

  it('prints the shop curl lines with the Host header of the custom domain', () => {
    const url = base.replace('127.0.0.1', 'localhost');
    expect(output).toContain(`curl -H 'Host: api.example.local' ${url}/shop/inventory/items/a-1`);
    expect(output).toContain(`curl -X POST -H 'Host: api.example.local' ${url}/shop/orders-table`);
  });

  it('answers the printed requests: the inventory through HTTP_PROXY, an order through DynamoDB', async () => {
    const item = await request(base).get('/shop/inventory/items/a-1').set('Host', 'api.example.local');
    expect([item.status, item.text]).toEqual([200, '{"sku":"a-1","name":"Anchor","stock":12}']);
    const put = await request(base)
      .post('/shop/orders-table')
      .set('Host', 'api.example.local')
      .set('Content-Type', 'application/json')
      .send('{"customer":"Ann","sku":"a-1","quantity":2}');
    expect(put.status).toBe(201);
    const { id } = JSON.parse(put.text);
    const get = await request(base).get(`/shop/orders-table/${id}`).set('Host', 'api.example.local');
    expect(get.status).toBe(200);
    expect(JSON.parse(get.text)).toEqual({ id, customer: 'Ann', sku: 'a-1', quantity: 2 });
    const hello = await request(base).get('/prod').parse(asText);
    expect([hello.status, hello.body]).toEqual([200, 'Hello from Lambda!']);
  });
});
