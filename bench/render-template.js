// Microseconds per render of the walkthrough's request template, compiled once.
// `node bench/render-template.js` on its own, or called by bench/run.js at the end.

const fs = require('node:fs');
const path = require('node:path');

// The walkthrough's `GET /my-resource` request template (application/json).
const TEMPLATE = '{ "myParam": "$input.params(\'myParam\')" }';
const EXPECTED = '{ "myParam": "Hello from API Gateway!" }';
const SCOPE = {
  body: '',
  params: { path: {}, querystring: { myParam: 'Hello from API Gateway!' }, header: {} },
  context: {},
  stageVariables: {},
};

/** The VTL compiler: from the package if it exports one, else from the built file; undefined if neither. */
function loadCompiler() {
  try {
    const pkg = require('apigw-express');
    if (typeof pkg.compileTemplate === 'function') {
      return { compileTemplate: pkg.compileTemplate, from: "require('apigw-express')" };
    }
  } catch {
    // not built yet: fall through to the file
  }
  const file = path.join(__dirname, '..', 'dist', 'cjs', 'vtl', 'compile-template.js');
  if (!fs.existsSync(file)) return undefined;
  const mod = require(file);
  if (typeof mod.compileTemplate !== 'function') return undefined;
  return { compileTemplate: mod.compileTemplate, from: 'dist/cjs/vtl/compile-template.js' };
}

function timeRenders(template, n) {
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < n; i++) sink += template.render(SCOPE).length;
  const ns = Number(process.hrtime.bigint() - start);
  if (sink === -1) console.log(sink); // keep the result alive
  return ns / n / 1000;
}

/** Runs the measurement and prints one report; returns { status: 'ok'|'skipped'|'failed', usPerRender? }. */
function run({ renders = Number(process.env.BENCH_RENDERS ?? 100_000), repeats = 3 } = {}) {
  const compiler = loadCompiler();
  if (!compiler) {
    console.log(
      'VTL render: skipped (apigw-express exports no compileTemplate and dist/cjs/vtl/compile-template.js does not exist yet)',
    );
    return { status: 'skipped' };
  }
  let template;
  let output;
  try {
    template = compiler.compileTemplate(TEMPLATE);
    output = template.render(SCOPE);
  } catch (error) {
    console.log(`VTL render: FAILED to compile/render the walkthrough template: ${error?.message ?? error}`);
    return { status: 'failed' };
  }
  if (typeof output !== 'string') {
    console.log(`VTL render: FAILED, render() returned ${typeof output}, not a string`);
    return { status: 'failed' };
  }
  timeRenders(template, Math.min(20_000, renders)); // warm up (JIT)
  const runs = [];
  for (let i = 0; i < repeats; i++) runs.push(timeRenders(template, renders));
  const best = Math.min(...runs);
  const match = output === EXPECTED ? 'output as expected' : `UNEXPECTED output ${JSON.stringify(output)}`;
  console.log(
    `VTL render (${compiler.from}): ${best.toFixed(2)} µs/render (best of ${repeats} × ${renders}; ` +
      `runs ${runs.map((r) => r.toFixed(2)).join(', ')} µs) — ${match}`,
  );
  console.log(`  template ${TEMPLATE} → ${JSON.stringify(output)}`);
  return { status: output === EXPECTED ? 'ok' : 'failed', usPerRender: best };
}

module.exports = { run, TEMPLATE };

if (require.main === module) run();
