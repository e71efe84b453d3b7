// Runs in a worker thread so that the test can stop it if a render never returns (a synchronous
// hang cannot be interrupted on the thread that runs it). Reports every render that threw
// anything but a TemplateRenderError of the engine's own (API Gateway's 500): a JS error caught
// and wrapped on the way out (its `cause`) is a crash in disguise. A render that takes longer
// than the deadline is reported too: one client request must not hold the event loop.
require('../support/load-typescript.js');
const { parentPort, workerData } = require('node:worker_threads');
const fc = require('fast-check');
const { compileTemplate, TemplateRenderError } = require('../../src/vtl/compile-template.ts');

const TEMPLATES = [
  '$s.split($p)',
  "$s.split($p, $input.path('$.n'))",
  "$s.replaceAll($p, '-')",
  "$s.replaceFirst($p, '<$0>')",
  '$s.matches($p)',
  '$s.indexOf($p) $s.lastIndexOf($p) $s.contains($p)',
  "$s.substring($input.path('$.n'))",
  "#foreach($i in [$input.path('$.a')..$input.path('$.b')])$i,#end",
  "#foreach($i in [$input.path('$.n')..3])$i,#end",
  "#set($l = [])#foreach($c in $s.split(''))#set($d = $l.add($c))#end$l.size() $l",
  '$input.json($s)',
  '$input.path($s)',
  "$input.json('$') $input.json('$..a') $input.json('$.list[*]')",
  "$input.path('$.a') $input.path('$.b') $input.path('$.list')",
  "$input.path('$.a') + $input.path('$.b') - $input.path('$.n')",
  "#set($q = $input.path('$.a') / $input.path('$.b'))$q #set($r = $input.path('$.a') % $input.path('$.b'))$r",
  "#set($q = $input.path('$.a') * $input.path('$.b'))$q",
  "#set($x = $input.path('$.a'))#foreach($i in [1..40])#set($x = $x * $x)#end$x",
  "#set($x = $input.path('$.a'))#foreach($i in [1..40])#set($x = $x + $input.path('$.b'))#end$x",
  "$input.path('$.a').intValue() $input.path('$.a').doubleValue() $input.path('$.a').longValue()",
  "#if($input.path('$.a') < $input.path('$.b'))lt#elseif($input.path('$.a') == $input.path('$.b'))eq#else ge#end",
  "$input.json('$.list[?(@ > 1)]') $input.json('$.list[-1:]')",
  '$util.escapeJavaScript($s) $util.urlEncode($s) $util.base64Encode($s)',
  '$util.urlDecode($s) $util.base64Decode($s)',
  '$util.parseJson($s)',
  '$util.parseJson($input.body)',
  '$s.toUpperCase().toLowerCase().trim().length() $s.hashCode()',
  '$s.charAt(0)',
  '#set($m = {})#set($m[$s] = $s)$m $m.keySet() $m.get($s)',
];

const special = fc.constantFrom(
  '',
  'a',
  'x',
  ' ',
  '.',
  '😀',
  '\ud800',
  '\udfff',
  '\u0000',
  '$',
  '[',
  '?',
  '\\',
  '"',
  'é',
  '\n',
);
const clientString = fc.oneof(
  fc.string({
    unit: fc.oneof(special, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
    maxLength: 24,
  }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom(
    '$',
    '$.a',
    '$..*',
    '$.list[*]',
    "$['a']",
    '$[?(@.x)]',
    '$.list[0:2]',
    '$...',
    '[',
    '$[',
    '$.*.*.*',
  ),
);
const pattern = fc.oneof(
  fc.constantFrom(
    '',
    '\\b',
    'x*',
    '(?=.)',
    '(?<=.)',
    '.',
    '\\s*',
    '$',
    '^',
    '(?:)',
    'a|',
    '\\p{L}',
    '[^a]',
    '\\X?',
    '..?',
    '(?U)\\w',
  ),
  clientString,
);
const numberText = fc.oneof(
  fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n }).map(String),
  fc.integer().map(String),
  fc.integer({ min: -5, max: 5 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.constantFrom(
    '1e400',
    '-1e400',
    '-0.0',
    '3.0',
    '0.1',
    '9007199254740993',
    '1234567890123456789',
    '2147483648',
    '1E-400',
    '0',
  ),
);
const jsonBody = fc
  .record({
    a: numberText,
    b: numberText,
    n: numberText,
    s: clientString.map((s) => JSON.stringify(s)),
    list: fc.array(numberText, { maxLength: 6 }).map((l) => `[${l.join(',')}]`),
  })
  .map(({ a, b, n, s, list }) => `{"a":${a},"b":${b},"n":${n},"s":${s},"list":${list}}`);
const body = fc.oneof({ weight: 5, arbitrary: jsonBody }, { weight: 1, arbitrary: clientString });

const DEADLINE_MS = 2000;
const compiled = TEMPLATES.map((t) => compileTemplate(t));
const failures = [];
let renders = 0;

const details = fc.check(
  fc.property(fc.nat(compiled.length - 1), clientString, pattern, body, (i, s, p, payload) => {
    renders++;
    const started = performance.now();
    try {
      const out = compiled[i].render({
        body: payload,
        params: { path: {}, querystring: { s, p }, header: {} },
        context: {},
        stageVariables: {},
      });
      if (typeof out !== 'string') throw new TypeError('render returned a non-string');
    } catch (error) {
      if (!(error instanceof TemplateRenderError) || error.cause !== undefined) {
        failures.push({ template: TEMPLATES[i], s, p, payload, error: String(error?.stack ?? error) });
        return false;
      }
    }
    const took = performance.now() - started;
    if (took > DEADLINE_MS) {
      failures.push({ template: TEMPLATES[i], s, p, payload, error: `render took ${Math.round(took)} ms` });
      return false;
    }
    return true;
  }),
  { numRuns: workerData.numRuns, seed: workerData.seed },
);
// The first failure, shrunk by fast-check to its smallest form, is the one reported.
parentPort.postMessage({ renders, failures: details.failed ? failures.slice(-1) : [] });
