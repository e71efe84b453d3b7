import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HELP } from '../../src/cli/help.js';
import { runCli, scratchFolder } from '../support/cli-process.js';

// What the README's "Command line" section says, checked against the CLI.
const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Command line'), readme.indexOf('## Testing handlers'));

const scratch = scratchFolder({
  'api.js': `module.exports = {
  functions: {},
  resources: { '/pets': { GET: { integration: { type: 'AWS_PROXY', function: 'list-pets' } } } },
};`,
});
afterAll(() => scratch.remove());

describe("the README's command line", () => {
  it('documents exit codes 0, 1 and 2', () => {
    const codes = [...section.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual([0, 1, 2]);
  });

  it.concurrent('prints the error line it shows, and exits 1', async () => {
    const shown = /`(apigw-express: api\.js: [^`]+)`/.exec(section)?.[1];
    expect(shown).toBeDefined();
    const result = await runCli(['routes', 'api.js'], scratch.dir);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `${shown}\n` });
  }, 60_000);

  it.concurrent('exits 2 for a usage error and 0 for help', async () => {
    expect((await runCli(['routes', 'api.js', '--no-such-flag'], scratch.dir)).code).toBe(2);
    expect((await runCli(['routes'], scratch.dir)).code).toBe(2);
    expect((await runCli(['--help'], scratch.dir)).code).toBe(0);
  }, 60_000);

  it('lists only flags the CLI knows', () => {
    const flags = [...section.matchAll(/^\| `(-\w, )?(--[\w-]+)/gm)].map((m) => m[2] as string);
    expect(flags.length).toBeGreaterThan(5);
    const help = Object.values(HELP).join('\n');
    for (const flag of flags) expect({ flag, inHelp: help.includes(flag) }).toEqual({ flag, inHelp: true });
  });
});
