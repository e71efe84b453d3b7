import { compileTemplate, TemplateRenderError, TemplateSyntaxError } from '../../src/vtl/compile-template.js';
import { makeScope, render } from './support.js';

const JSON_BODY = '{"a":{"b":[{"c":1},{"c":2}],"d":"e"},"n":3,"f":1.5,"s":"x\\"y","t":true,"z":null}';
const params = {
  path: { id: '9', shared: 'from-path' },
  querystring: { myParam: 'Hello from API Gateway!', shared: 'from-query', fields: 'id' },
  header: { 'X-Api-Key': 'k', Accept: 'application/json', shared: 'from-header' },
};

describe('$input', () => {
  it.each([
    ['$input.body', '', '{}'],
    ['MessageBody=$input.body', '', 'MessageBody={}'],
    ['$util.urlEncode($input.body)', '', '%7B%7D'],
    ['#set($result = $input.body)$result', 'some raw data', 'some raw data'],
    ['#set($result = $input.body.testAccess)$result', '{"testAccess":1}', ''],
    ['$input.json("$")', '', '{}'],
    ['$input.json("$")', JSON_BODY, JSON.stringify(JSON.parse(JSON_BODY))],
    ["$input.json('$.a.d')", JSON_BODY, '"e"'],
    ["$input.json('$.s')", JSON_BODY, '"x\\"y"'],
    ["$input.json('$.a.b[0]')", JSON_BODY, '{"c":1}'],
    ["$input.json('$.a.b')", JSON_BODY, '[{"c":1},{"c":2}]'],
    ["$input.json('$.n')", JSON_BODY, '3'],
    ["$input.json('$.z')", JSON_BODY, 'null'],
    ["[$input.json('$.nothing')]", JSON_BODY, '[]'],
    ["$input.json('$.a.b[*].c')", JSON_BODY, '[1,2]'],
    ["$input.json('$..c')", JSON_BODY, '[1,2]'],
    ["$input.json('$.a.b[?(@.c > 1)]')", JSON_BODY, '[{"c":2}]'],
    [
      '#set($r = $input.path("$"))$r',
      '{"bigger":"dict","to":"test","with":"separators"}',
      '{bigger=dict, to=test, with=separators}',
    ],
    ['#set($r = $input.path("$"))$r', '{"foo":[{"nested":"bar"}]}', '{foo=[{"nested":"bar"}]}'],
    ['#set($r = $input.path("$"))$r', '[{"foo":"bar"}]', '[{"foo":"bar"}]'],
    ['#set($r = $input.path("$"))$r[0]', '[{"foo":"bar"}]', '{foo=bar}'],
    ['#set($r = $input.path("$"))$r[0]', '[[{"foo":"bar"}]]', '[{"foo":"bar"}]'],
    ['#set($r = $input.path("$"))$r.nested', '{"nested":{"foo":"bar"}}', '{foo=bar}'],
    ['#set($r = $input.path("$"))$r.toString()', '{"list":[{"foo":"bar"}]}', '{list=[{"foo":"bar"}]}'],
    ['#set($r = $input.path("$"))$r', '', '{}'],
    ["$input.path('$.a').d", JSON_BODY, 'e'],
    ["$input.path('$.a.b').size()", JSON_BODY, '2'],
    ["$input.path('$.a').keySet()", JSON_BODY, '[b, d]'],
    ["$input.path('$.a.b').get(1).c", JSON_BODY, '2'],
    ["$input.path('$.f')", JSON_BODY, '1.5'],
    ["$input.path('$.t')", JSON_BODY, 'true'],
    ["$input.path('$.a.b[*].c')", JSON_BODY, '[1,2]'],
  ])('%s with body %j renders %j', (template, body, expected) => {
    expect(render(template, { body })).toBe(expected);
  });

  it('gives null for a path that matches nothing: prints nothing, equals $null and ""', () => {
    const template =
      '#set($result = $input.path("$.nonExisting")){"body": $result, "nested": $result.nested, "isNull": #if( $result == $null )"true"#else"false"#end, "isEmptyString": #if( $result == "" )"true"#else"false"#end}';
    // recorded from AWS: localstack test_input_path_template_formatting "empty-body"
    expect(render(template)).toBe('{"body": , "nested": , "isNull": "true", "isEmptyString": "true"}');
    expect(render(template.replace('nonExisting', 'listValue'), { body: '{"listValue":[]}' })).toBe(
      '{"body": [], "nested": , "isNull": "false", "isEmptyString": "false"}',
    );
  });

  it.each([
    ["$input.params('myParam')", 'Hello from API Gateway!'],
    ["$input.params('id')", '9'],
    ["$input.params('shared')", 'from-path'],
    ["$input.params('x-api-key')", 'k'],
    ["$input.params('X-Api-Key')", 'k'],
    ["[$input.params('absent')]", '[]'],
    ['$input.params().path.id', '9'],
    ["$input.params().querystring.get('fields')", 'id'],
    ["[$input.params().header.get('Nope')]", '[]'],
    ['$input.params().keySet()', '[path, querystring, header]'],
  ])('%s renders %j', (template, expected) => {
    expect(render(template, { params })).toBe(expected);
  });

  it('prints $input.params() like Java toString', () => {
    const p = { path: { path: 'users' }, querystring: { fields: 'id' }, header: {} };
    expect(render('$input.params()', { params: p })).toBe(
      '{path={path=users}, querystring={fields=id}, header={}}',
    );
  });

  it('renders the walkthrough request template', () => {
    expect(render(`{ "myParam": "$input.params('myParam')" }`, { params })).toBe(
      '{ "myParam": "Hello from API Gateway!" }',
    );
  });

  it.each([
    ["$input.json('$.a')", '{"a": not json}'],
    ["$input.path('$.a')", '{"broken":'],
    ["$input.path('$.a[')", '{}'],
    ["$input.json('$.a.length()')", '{}'],
  ])('%s on body %j is a render error', (template, body) => {
    expect(() => render(template, { body })).toThrow(TemplateRenderError);
  });

  it('leaves the body string untouched for $input.body even when it is not JSON', () => {
    expect(render('$input.body', { body: '<xml/>' })).toBe('<xml/>');
  });
});

describe('$util', () => {
  it.each([
    ['$util.escapeJavaScript(\'say "hi"\')', 'say \\"hi\\"'],
    ['$util.escapeJavaScript("it\'s")', "it\\'s"],
    ["$util.escapeJavaScript('a/b\\c')", 'a\\/b\\\\c'],
    ['$util.escapeJavaScript($s)', 'line1\\nline2\\ttab\\r\\b\\f\\u0001\\u00E9\\u20AC\\uD83D\\uDE00\u007f'],
    [
      '$util.escapeJavaScript($s).replaceAll("\\\\\'","\'")',
      'line1\\nline2\\ttab\\r\\b\\f\\u0001\\u00E9\\u20AC\\uD83D\\uDE00\u007f',
    ],
    ["$util.urlEncode('a b&c')", 'a+b%26c'],
    ["$util.urlEncode('~*-_.!()\\'')", '%7E*-_.%21%28%29%27'],
    ["$util.urlEncode('é€')", '%C3%A9%E2%82%AC'],
    ["$util.urlDecode('a+b%26c')", 'a b&c'],
    ["$util.urlDecode('%C3%A9%e2%82%ac')", 'é€'],
    ["$util.base64Encode('hello world')", 'aGVsbG8gd29ybGQ='],
    ["$util.base64Encode('é')", 'w6k='],
    ["$util.base64Decode('aGVsbG8gd29ybGQ=')", 'hello world'],
    ["$util.base64Decode('w6k')", 'é'],
    ['$util.parseJson(\'{"a":{"b":[1,2]}}\').a.b', '[1,2]'],
    ['$util.parseJson(\'{"a":{"b":"c"}}\').a.b', 'c'],
    ["$util.parseJson('[1, 2]').size()", '2'],
    ['[$util.urlEncode($nothing)]', '[]'],
    ['[$util.escapeJavaScript($nothing)]', '[]'],
    ['[$util.nope("x")]', '[]'],
    ['$util.urlEncode(12)', '12'],
  ])('%s renders %j', (template, expected) => {
    const s = 'line1\nline2\ttab\r\b\f\u0001é€😀\u007f';
    const compiled = compileTemplate(`#set($s = $input.path('$.s'))${template}`);
    expect(compiled.render(makeScope({ body: JSON.stringify({ s }) }))).toBe(expected);
  });

  it.each([
    ["$util.parseJson('{nope')"],
    ["$util.urlDecode('%zz')"],
    ["$util.urlDecode('100%')"],
    ["$util.base64Decode('***')"],
    ["$util.base64Decode('a')"],
  ])('%s is a render error', (template) => {
    expect(() => render(template)).toThrow(TemplateRenderError);
  });
});

describe('$context and $stageVariables', () => {
  it('reads nested $context values and stage variables', () => {
    const context = {
      requestId: 'req-1',
      stage: 'prod',
      resourcePath: '/items/{id}',
      httpMethod: 'GET',
      requestTimeEpoch: 1428582896000,
      identity: { sourceIp: '1.2.3.4', userAgent: 'curl' },
      authorizer: { principalId: 'me', claims: { email: 'a@b.c' } },
      responseOverride: { header: {} },
    };
    const template =
      '$context.requestId $context.stage $context.resourcePath $context.httpMethod $context.requestTimeEpoch ' +
      '$context.identity.sourceIp $context.identity.userAgent $context.authorizer.principalId ' +
      '$context.authorizer.claims.email [$context.identity.apiKey] $stageVariables.env $stageVariables.get("env")';
    expect(render(template, { context, stageVariables: { env: 'dev' } })).toBe(
      'req-1 prod /items/{id} GET 1428582896000 1.2.3.4 curl me a@b.c [] dev dev',
    );
  });

  it('writes overrides into the caller’s $context object', () => {
    const scope = makeScope();
    const template = [
      '#set($context.responseOverride.status = 400)',
      '#set($context.responseOverride.header.X-Name = "v")',
      "#set($k = 'key')",
      '#set($context.requestOverride.querystring[$k] = "q")',
      '#set($context["requestOverride"].querystring["k2"] = "q2")',
      "#set($ignored = $context.requestOverride.path.put('p', 'v'))",
      '#set($context.responseOverride.custom = "c")',
      'done',
    ].join('\n');
    expect(compileTemplate(template).render(scope)).toBe('done');
    expect(scope.context).toEqual({
      responseOverride: { status: 400, header: { 'X-Name': 'v' }, custom: 'c' },
      requestOverride: { header: {}, querystring: { key: 'q', k2: 'q2' }, path: { p: 'v' } },
    });
  });

  it('selects the status from the integration payload like the recorded response template', () => {
    const template =
      '#set($inputRoot = $input.json("$"))#if($inputRoot.toString().contains("customerror"))#set($context.responseOverride.status = 400)#else#set($context.responseOverride.status = 202)#end$inputRoot';
    const error = makeScope({ body: '{"message":"customerror"}' });
    const ok = makeScope({ body: '{"message":"fine"}' });
    expect(compileTemplate(template).render(error)).toBe('{"message":"customerror"}');
    compileTemplate(template).render(ok);
    expect((error.context.responseOverride as { status: number }).status).toBe(400);
    expect((ok.context.responseOverride as { status: number }).status).toBe(202);
  });
});

describe('Java methods', () => {
  const s = '#set($s = "Hello World")';
  it.each([
    ['$s.length()', '11'],
    ['#set($n = $s.length() - 1)$n', '10'],
    ['#set($e = "")$s.isEmpty() $e.isEmpty()', 'false true'],
    ['$s.contains("World") $s.contains("world")', 'true false'],
    ['$s.equals("Hello World") $s.equals("hello world") $s.equals(1)', 'true false false'],
    ['$s.equalsIgnoreCase("hello WORLD")', 'true'],
    ['$s.matches("H.*d") $s.matches("World")', 'true false'],
    ['$s.replaceAll("(o)", "[$1]")', 'Hell[o] W[o]rld'],
    ['$s.replaceAll("l+", "L")', 'HeLo WorLd'],
    ["$s.replaceAll('o', '\\$')", 'Hell$ W$rld'],
    ['$s.replaceFirst("o", "0")', 'Hell0 World'],
    ['$s.replace("o", "0")', 'Hell0 W0rld'],
    ['$s.replace(".", "!")', 'Hello World'],
    ['#set($d = "a.b")$d.split("\\.")', '[a, b]'],
    ['#set($d = "a,b,,c,,")$d.split(",")', '[a, b, , c]'],
    ['#set($d = "a,b,,")$d.split(",", -1)', '[a, b, , ]'],
    ['#set($d = "a1b22c")$d.split("\\d+")', '[a, b, c]'],
    ['#set($d = "abc")$d.split("")', '[a, b, c]'],
    ['#set($d = ",a")$d.split(",")', '[, a]'],
    ['$s.split(" ").size()', '2'],
    ['$s.substring(6) $s.substring(0, 5)', 'World Hello'],
    ['$s.indexOf("o") $s.lastIndexOf("o") $s.indexOf("z") $s.indexOf("o", 5)', '4 7 -1 7'],
    ['$s.startsWith("Hell") $s.endsWith("World") $s.startsWith("World", 6)', 'true true true'],
    ['$s.charAt(4)', 'o'],
    ['$s.concat("!")', 'Hello World!'],
    ['#set($p = "  pad  ")[$p.trim()]', '[pad]'],
    ['$s.toLowerCase() $s.toUpperCase()', 'hello world HELLO WORLD'],
    ['$s.hashCode()', '-862545276'],
    ['$s.toString()', 'Hello World'],
    ['$s.compareTo("Hello") $s.compareTo("Hello World") $s.compareTo("Jello")', '6 0 -2'],
    ['[$s.noSuchMethod()]', '[]'],
  ])('%s renders %j', (template, expected) => {
    expect(render(s + template)).toBe(expected);
  });

  it.each([
    ['$s.substring(20)'],
    ['$s.substring(5, 2)'],
    ['$s.charAt(11)'],
    ['$s.matches("a++")'],
    ['$s.replaceAll("(?>a)", "")'],
    ['$s.replaceAll("o", "$2")'],
    ['$s.split("[")'],
  ])('%s is a render error (Java throws)', (template) => {
    expect(() => render(s + template)).toThrow(TemplateRenderError);
  });

  it('caps template regular expressions at 1000 characters', () => {
    const long = 'a'.repeat(1001);
    expect(() => render(`${s}$s.matches("${long}")`)).toThrow(/longer than 1000/);
  });

  const m = '#set($m = {"a": 1, "b": "x"})';
  it.each([
    ['$m', '{a=1, b=x}'],
    ['$m.containsKey("a") $m.containsKey("z")', 'true false'],
    ['$m.containsValue("x") $m.containsValue(2)', 'true false'],
    ['#set($e = {})$m.isEmpty() $e.isEmpty()', 'false true'],
    ['$m.size()', '2'],
    ['$m.get("b") [$m.get("z")]', 'x []'],
    ['#set($old = $m.put("c", [1, 2]))$m', '{a=1, b=x, c=[1, 2]}'],
    ['$m.keySet() $m.values()', '[a, b] [1, x]'],
    ['$m.entrySet()', '[a=1, b=x]'],
    ['#foreach($e in $m.entrySet())$e.key:$e.getValue() #end', 'a:1 b:x '],
    ['#set($m.c = true)$m.c', 'true'],
    ['#set($m["d"] = 2.5)$m.d', '2.5'],
  ])('%s renders %j', (template, expected) => {
    expect(render(m + template)).toBe(expected);
  });

  const l = '#set($l = [1, "two", 3])';
  it.each([
    ['$l', '[1, two, 3]'],
    ['#set($e = [])$l.size() $l.isEmpty() $e.isEmpty()', '3 false true'],
    ['$l.contains("two") $l.contains(2)', 'true false'],
    ['$l.get(0) $l[1] $l[-1]', '1 two 3'],
    ['$l.add(4) $l', 'true [1, two, 3, 4]'],
    ['$l.indexOf(3) $l.indexOf(9)', '2 -1'],
    ['[#foreach($x in $l)$x#if($foreach.hasNext),#end#end]', '[1,two,3]'],
  ])('%s renders %j', (template, expected) => {
    expect(render(l + template)).toBe(expected);
  });

  it.each([['$l.get(3)'], ['$l.get(-1)'], ['$l[5]']])(
    '%s is a render error (IndexOutOfBounds)',
    (template) => {
      expect(() => render(l + template)).toThrow(/IndexOutOfBounds/);
    },
  );

  it.each([
    ['#set($n = 3.7)$n.intValue() $n.longValue() $n.doubleValue() $n.toString()', '3 3 3.7 3.7'],
    ['#set($n = -3.7)$n.intValue()', '-3'],
    ['#set($n = 42)$n.toString().length()', '2'],
    ['#set($b = true)$b.toString() $b.booleanValue()', 'true true'],
  ])('%s renders %j', (template, expected) => {
    expect(render(template)).toBe(expected);
  });
});

describe('Velocity language', () => {
  it.each([
    ['#set($x = 7 / 2)$x', '3'],
    ['#set($x = -7 / 2)$x', '-3'],
    ['#set($x = 7 % 3)$x', '1'],
    ['#set($x = 7.0 / 2)$x', '3.5'],
    ['#set($x = 1.5 * 2)$x', '3.0'], // a Double, as Java prints it
    ['#set($x = 2 + 3 * 4)$x', '14'],
    ['#set($x = "a" + 1)$x', 'a1'],
    ['#set($x = 5)#set($x = $x / 0)$x', '5'],
    ['#set($x = 1 / 0)[$x]', '[]'],
    ['#if("")empty-string-is-true#end', 'empty-string-is-true'],
    ['#if(0)zero-is-true#end', 'zero-is-true'],
    ['#if($missing)yes#{else}no#end', 'no'],
    ['#if(false)a#elseif(true)b#{else}c#end', 'b'],
    ['#if(!$missing && true)ok#end', 'ok'],
    ['#if($missing || 1 < 2)ok#end', 'ok'],
    ['#if(1 == 1.0)eq#end #if("1" == 1)str#end #if("a" != "b")ne#end', 'eq str ne'],
    ['#if("b" > "a")gt#{else}strings-do-not-compare#end', 'strings-do-not-compare'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: VTL's ${x} reference syntax
    ['$missing|$!missing|${missing}|$!{missing}|$missing.deeper.still', '||||'],
    ['#set($x = $null)[$x]', '[]'],
    ['#set($x = 1)#set($x = $null)$x', '1'],
    ['#set($x = $input.path("$.none"))[$x]', '[]'],
    ['#foreach($i in [1..3])$i#end', '123'],
    ['#foreach($i in [3..1])$i#end', '321'],
    [
      '#foreach($i in ["a", "b"])$foreach.index$foreach.count$foreach.hasNext$velocityCount$velocityHasNext #end',
      '01true1true 12false2false ',
    ],
    ['#foreach($i in [1..5])#if($i == 3)#break#end$i#end', '12'],
    ['#set($m = {"a": 1, "b": 2})#foreach($v in $m)$v#end', '12'],
    ['#foreach($i in $missing)x#end', ''],
    ['#macro(greet $who)Hello $who!#end#greet("you")', 'Hello you!'],
    ['a## a line comment takes its newline with it\nb', 'ab'],
    ['a#* block\ncomment *#b', 'ab'],
    ['#set($id = 5)"id-$id" \'id-$id\'', '"id-5" \'id-5\''],
    ['#set($t = "id-$id")#set($id = 5)#set($u = "id-$id")$t $u', 'id- id-5'],
    ['#set($list = [1, [2, 3], {"k": "v"}])$list', '[1, [2, 3], {k=v}]'],
    ['#set($big = 10000000000)$big', '10000000000'],
    ['#set($f = 0.0001)$f', '1.0E-4'],
    ['#set($f = 12345678.5)$f', '1.23456785E7'],
    ['#set($m = {})#set($m.k = "v")$m.k', 'v'],
  ])('%s renders %j', (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  it('keeps directives on their own line from adding blank lines', () => {
    expect(render('{\n#set($x = 1)\n"x": $x\n}')).toBe('{\n"x": 1\n}');
  });

  it('does not let one render affect the next', () => {
    const compiled = compileTemplate(
      '[$x]#set($x = "set")#macro(m)m#end#set($input.body = "changed")$input.body',
    );
    expect(compiled.render(makeScope({ body: 'b' }))).toBe('[]b');
    expect(compiled.render(makeScope({ body: 'b' }))).toBe('[]b');
  });

  it('stops rendering at #stop for this render only', () => {
    const compiled = compileTemplate('a#stop()b');
    expect(compiled.render(makeScope())).toBe('a');
    expect(compiled.render(makeScope())).toBe('a');
  });
});

describe('compileTemplate errors', () => {
  it.each([
    ['#if($x) never closed', /line 1, column 1: #if without #end/],
    ['ok\n  #foreach($i in $l) x', /line 2, column 3: #foreach without #end/],
    ['#end', /#end without a matching/],
    ['#if(true)a#end#end', /#end without a matching/],
    ['#else', /#else without #if/],
    ['#set($x = )', /line 1, column/],
    ['line one\n#set($a = [1, 2)', /line 2, column/],
  ])('%j is a syntax error (%s)', (template, message) => {
    expect(() => compileTemplate(template)).toThrow(TemplateSyntaxError);
    expect(() => compileTemplate(template)).toThrow(message);
  });

  it('rejects a template over 300 KB and accepts one at the quota', () => {
    expect(() => compileTemplate('x'.repeat(300 * 1024 + 1))).toThrow(/300 KB/);
    expect(compileTemplate('x'.repeat(300 * 1024)).source).toHaveLength(300 * 1024);
  });

  it('reports a syntax error inside a double-quoted string at compile time', () => {
    expect(() => compileTemplate('#set($x = "#if(")')).toThrow(TemplateSyntaxError);
  });

  it('turns runaway output into a render error', () => {
    expect(() => render('#set($s = "xxxxxxxxxx")#foreach($i in [1..30])#set($s = "$s$s")#end')).toThrow(
      TemplateRenderError,
    );
    expect(() => render('#foreach($i in [1..2000000])#end')).toThrow(/too large/);
  });

  it('turns a self-containing map into a render error, not a crash', () => {
    expect(() => render('#set($m = {})#set($x = $m.put("self", $m))$m')).toThrow(TemplateRenderError);
  });
});
