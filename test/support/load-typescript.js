// Lets a worker thread require the TypeScript sources directly (Jest's transform does not reach
// worker threads): `.ts` files are transpiled on load, and `./x.js` specifiers find `./x.ts`.
const fs = require('node:fs');
const Module = require('node:module');
const ts = require('typescript');

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveTs(request, parent, ...rest) {
  try {
    return resolve.call(this, request, parent, ...rest);
  } catch (error) {
    if (request.startsWith('.') && request.endsWith('.js')) {
      return resolve.call(this, `${request.slice(0, -3)}.ts`, parent, ...rest);
    }
    throw error;
  }
};

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    compilerOptions: {
      // NodeNext emits CommonJS here too, but keeps `import()` a real dynamic import (ES modules load).
      module: ts.ModuleKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
    fileName: filename,
  });
  module._compile(outputText, filename);
};
