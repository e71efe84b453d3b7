import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

// A map must ship with the source it points at: the package's `files` decide what ships.
const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };

function buildOptions(config: string): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(root, config),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`${config}: unreadable`);
  return parsed.options;
}

describe('source maps in the package', () => {
  const shipsSources = pkg.files.some((f) => f === 'src' || f.startsWith('src/'));
  it.each(['tsconfig.cjs.json', 'tsconfig.esm.json'])(
    '%s emits no map pointing at an unshipped file',
    (config) => {
      const options = buildOptions(config);
      if (!shipsSources) {
        expect(options.sourceMap === true && options.inlineSources !== true).toBe(false);
        // A declaration map cannot carry its sources: it needs src/ in the package.
        expect(options.declarationMap ?? false).toBe(false);
      }
    },
  );
});
