// Microseconds per render of the walkthrough's request template, compiled once; then a heavy
// template (#foreach over 1,000 lines of a JSON body, producing JSON) against a hand-written JS
// loop producing the same bytes. `node bench/render-template.js` on its own, or called by
// bench/run.js at the end.

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

// An order of 1,000 lines, reshaped as the example app's /orders template does.
const HEAVY_TEMPLATE =
  '#set($body = $input.path(\'$\')){"lines":[#foreach($line in $body.items)' +
  '{"sku":"$util.escapeJavaScript($line.sku)","quantity":$line.qty,"unitPrice":$line.price}' +
  '#if($foreach.hasNext),#end#end]}';
const HEAVY_SCOPE = {
  ...SCOPE,
  body: JSON.stringify({
    customer: 'Jane Doe',
    items: Array.from({ length: 1000 }, (_, i) => ({
      sku: `SKU-${String(i).padStart(6, '0')}`,
      qty: (i % 9) + 1,
      price: 12.5,
    })),
  }),
};

/** The same reshaping, as a handler would write it by hand. */
const BY_HAND = {
  render(scope) {
    const body = JSON.parse(scope.body);
    let out = '{"lines":[';
    for (let i = 0; i < body.items.length; i++) {
      const line = body.items[i];
      if (i > 0) out += ',';
      out += `{"sku":${JSON.stringify(line.sku)},"quantity":${line.qty},"unitPrice":${line.price}}`;
    }
    return `${out}]}`;
  },
};

function timeRenders(template, n, scope = SCOPE) {
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < n; i++) sink += template.render(scope).length;
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
  const heavy = runHeavy(compiler, Math.max(1, Math.round(renders / 200)), repeats);
  return { status: output === EXPECTED && heavy ? 'ok' : 'failed', usPerRender: best };
}

/** Template vs hand-written loop, interleaved; prints the ratio (hand µs / template µs). */
function runHeavy(compiler, renders, repeats) {
  let template;
  let output;
  try {
    template = compiler.compileTemplate(HEAVY_TEMPLATE);
    output = template.render(HEAVY_SCOPE);
  } catch (error) {
    console.log(`VTL #foreach × 1,000: FAILED to compile/render: ${error?.message ?? error}`);
    return false;
  }
  const expected = BY_HAND.render(HEAVY_SCOPE);
  timeRenders(template, Math.min(100, renders), HEAVY_SCOPE);
  timeRenders(BY_HAND, Math.min(100, renders), HEAVY_SCOPE);
  const ours = [];
  const plain = [];
  for (let i = 0; i < repeats; i++) {
    ours.push(timeRenders(template, renders, HEAVY_SCOPE));
    plain.push(timeRenders(BY_HAND, renders, HEAVY_SCOPE));
  }
  const ratio = Math.min(...plain) / Math.min(...ours);
  const match =
    output === expected ? 'same bytes' : `UNEXPECTED output ${JSON.stringify(output.slice(0, 200))}…`;
  console.log(
    `VTL #foreach × 1,000 lines: template ${Math.min(...ours).toFixed(0)} µs/render, JS loop ` +
      `${Math.min(...plain).toFixed(0)} µs (best of ${repeats} × ${renders}) — ${match}`,
  );
  console.log(`  ratio (JS loop / template time) ${ratio.toFixed(3)}, goal: none set (report only)`);
  return output === expected;
}

module.exports = { run, TEMPLATE };

if (require.main === module) run();
