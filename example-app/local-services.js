// What the shop routes of api.js call, started in this process so `npm start` and the tests need
// no AWS account and no Docker: DynamoDB (dynalite, in memory) with the Orders table, and the
// inventory backend an HTTP_PROXY integration forwards to. Both listen on free ports of 127.0.0.1.
const http = require('node:http');
const dynalite = require('dynalite');

const ITEMS = [
  { sku: 'a-1', name: 'Anchor', stock: 12 },
  { sku: 'b-2', name: 'Buoy', stock: 0 },
];

/** The inventory service: `GET /items` and `GET /items/{sku}`, JSON; anything else 404. */
function inventoryBackend(req, res) {
  const { pathname } = new URL(req.url ?? '/', 'http://inventory');
  const send = (status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'X-Inventory-Path': pathname });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'GET') return send(405, { message: 'method not allowed' });
  if (pathname === '/items') return send(200, { items: ITEMS });
  const item = pathname.startsWith('/items/') && ITEMS.find((i) => `/items/${i.sku}` === pathname);
  if (item) return send(200, item);
  send(404, { message: `no such item: ${pathname}` });
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

function close(server) {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** A DynamoDB call made directly; dynalite does not check signatures, so a dummy one does. */
async function dynamodb(url, action, input) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${action}`,
      'X-Amz-Date': '20260101T000000Z',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000',
    },
    body: JSON.stringify(input),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`DynamoDB ${action}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * Starts dynalite (with the Orders table, key `id`) and the inventory backend. Returns the options
 * that point api.js at them (`stageVariables.inventoryHost`, `awsEndpoints.dynamodb`) and `close`.
 */
async function startLocalServices() {
  const ddb = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const inventory = http.createServer(inventoryBackend);
  const closeAll = () => Promise.all([close(ddb), close(inventory)]).then(() => undefined);
  try {
    const [ddbPort, inventoryPort] = await Promise.all([listen(ddb), listen(inventory)]);
    const dynamodbUrl = `http://127.0.0.1:${ddbPort}`;
    await dynamodb(dynamodbUrl, 'CreateTable', {
      TableName: 'Orders',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    return {
      dynamodbUrl,
      inventoryHost: `127.0.0.1:${inventoryPort}`,
      options: {
        stageVariables: { inventoryHost: `127.0.0.1:${inventoryPort}` },
        awsEndpoints: { dynamodb: dynamodbUrl },
      },
      dynamodb: (action, input) => dynamodb(dynamodbUrl, action, input),
      close: closeAll,
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

module.exports = { startLocalServices };
