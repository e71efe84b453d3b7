import { type CliServer, scratchFolder, serveCli } from '../support/cli-process.js';

const scratch = scratchFolder({
  'template.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      MemorySize: 256
      Events: { Get: { Type: Api, Properties: { Path: /hello, Method: get } } }
`,
  'index.js': `console.log('cold');
exports.handler = async (event, context) => {
  console.warn('hello from', event.path);
  return { statusCode: 200, body: context.awsRequestId };
};
`,
});
afterAll(() => scratch.remove());

describe('apigw-express serve prints each function’s log on the terminal', () => {
  let server: CliServer;
  beforeAll(async () => {
    server = await serveCli(['template.yaml', '--quiet'], scratch.dir);
  }, 20_000);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('as Lambda writes it, each line after the function’s name; the Init line before the first START', async () => {
    // Loaded before the first request, as Lambda's Init phase.
    expect(server.stdout()).toMatch(/^\[Hello\] \S+Z\tundefined\tINFO\tcold$/m);
    const id = await (await fetch(`${server.url}/hello`)).text();
    await server.waitFor(/^\[Hello\] REPORT /m);
    const lines = server
      .stdout()
      .split('\n')
      .filter((line) => line.includes(id));
    expect(lines).toEqual([
      `[Hello] START RequestId: ${id} Version: $LATEST`,
      expect.stringMatching(new RegExp(`^\\[Hello\\] \\S+Z\\t${id}\\tWARN\\thello from /hello$`)),
      `[Hello] END RequestId: ${id}`,
      expect.stringMatching(
        new RegExp(
          `^\\[Hello\\] REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: [\\d.]+ ms\\t$`,
        ),
      ),
    ]);
  });
});
