import { scratchFolder, serveCli } from '../support/cli-process.js';

// A CLI process through tsx's require hook: seconds on a busy 2-core machine.
jest.setTimeout(30_000);

const scratch = scratchFolder({
  'sls/serverless.yml': `service: pets
provider:
  name: aws
  logs:
    httpApi: true
functions:
  hello:
    handler: app.handler
    events:
      - httpApi: 'GET /hello'
`,
  'sls/app.js':
    'exports.handler = async () => { console.log("saying hello"); return { statusCode: 200, headers: { "content-type": "text/plain" }, body: "hi" }; };',
});
afterAll(() => scratch.remove());

describe('apigw-express serve with HTTP API logs', () => {
  it("prints the functions' logs and the stage's access log", async () => {
    const server = await serveCli(['sls/serverless.yml', '--quiet'], scratch.dir);
    try {
      const res = await fetch(`${server.url}hello`);
      expect([res.status, await res.text()]).toEqual([200, 'hi']);
      const id = res.headers.get('apigw-requestid');
      for (let i = 0; i < 100 && !server.stdout().includes('"responseLength"'); i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      const out = server.stdout();
      expect(out).toMatch(/\[hello\] START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
      expect(out).toMatch(/\[hello\] \S+Z\t[0-9a-f-]{36}\tINFO\tsaying hello\n/);
      expect(out).toMatch(/\[hello\] REPORT RequestId: /);
      expect(out).toContain(`{"requestId":"${id}","ip":"127.0.0.1","requestTime":"`);
      expect(out).toContain(
        '"routeKey":"GET /hello","status":"200","protocol":"HTTP/1.1","responseLength":"2"}\n',
      );
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 30_000);
});
