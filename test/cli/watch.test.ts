import fs from 'node:fs';
import path from 'node:path';
import { scratchFolder, serveCli } from '../support/cli-process.js';

const handler = (version: string) =>
  `exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ version: '${version}', pid: process.pid }) });\n`;

const api = (paths: string[]) => `const { handler } = require('./functions/hello.js');
module.exports = {
  functions: { hello: handler },
  resources: {
${paths.map((p) => `    '${p}': { GET: { integration: { type: 'AWS_PROXY', function: 'hello' } } },`).join('\n')}
  },
};
`;

describe('apigw-express serve --watch', () => {
  it('picks up a changed handler and a new route without a restart, and keeps the last good version when a reload fails', async () => {
    const scratch = scratchFolder({ 'api.js': api(['/hello']), 'functions/hello.js': handler('v1') });
    const server = await serveCli(['api.js', '--watch'], scratch.dir);
    const get = async (route: string) => {
      const res = await fetch(`${server.url}${route}`);
      return { status: res.status, body: res.status === 200 ? await res.json() : await res.text() };
    };
    const change = async (file: string, text: string, expected: RegExp) => {
      const from = server.output().length;
      fs.writeFileSync(path.join(scratch.dir, file), text);
      await server.waitFor(expected, from);
    };
    try {
      await server.waitFor(/watching /);
      expect(await get('/hello')).toEqual({ status: 200, body: { version: 'v1', pid: server.pid } });

      await change('functions/hello.js', handler('v2'), /reloaded api\.js, 1 route\n/);
      expect(await get('/hello')).toEqual({ status: 200, body: { version: 'v2', pid: server.pid } });

      expect((await get('/bye')).status).toBe(403);
      await change('api.js', api(['/hello', '/bye']), /reloaded api\.js, 2 routes\n/);
      expect(await get('/bye')).toEqual({ status: 200, body: { version: 'v2', pid: server.pid } });

      await change('api.js', 'module.exports = {', /reload failed/);
      expect(server.stderr()).toMatch(
        /^apigw-express: reload failed, still serving the last good version: api\.js: \w*Error: [^\n]+$/m,
      );
      expect(await get('/bye')).toEqual({ status: 200, body: { version: 'v2', pid: server.pid } });
    } finally {
      expect(await server.stop()).toBe(0);
      scratch.remove();
    }
  }, 30_000);
});
