import { compileTemplate, TemplateRenderError, TemplateSyntaxError } from '../../src/vtl/compile-template.js';
import { makeScope, render } from './support.js';

/** Renders, treating the two template errors as a (safe) outcome. */
function attempt(template: string, body = '{"a":{"b":1}}'): string {
  try {
    return render(template, { body });
  } catch (error) {
    if (error instanceof TemplateRenderError || error instanceof TemplateSyntaxError)
      return `<${error.name}>`;
    throw error;
  }
}

afterEach(() => {
  // no attack may leave anything on the shared prototypes
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((Object.prototype.toString as unknown as Record<string, unknown>).polluted).toBeUndefined();
  expect((Function.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
});

describe('template sandbox', () => {
  it.each([
    [
      'constructor',
      '#set($s = "x")[$s.constructor][$s.constructor.name][$input.constructor][$util.constructor]',
    ],
    ['constructor call', '#set($s = "x")[$s.constructor.constructor("return process")]'],
    ['getClass', '[$input.getClass()][$util.getClass().getName()]'],
    ['__proto__', '[$input.__proto__][$context.__proto__][$context["__proto__"]]'],
    ['prototype', '[$util.urlEncode.prototype][$input.json.prototype]'],
    [
      'call/apply/bind',
      '[$util.urlEncode.call(null, "a b")][$util.urlEncode.apply(null, ["a b"])][$util.urlEncode.bind(null)]',
    ],
    [
      'function properties',
      '[$util.urlEncode][$input.json][$input.params.name][$util.escapeJavaScript.length]',
    ],
    ['process', '[$process][$process.env][$process.mainModule]'],
    ['global', '[$global][$globalThis][$global.process][$this]'],
    ['require', '[$require][$require("fs")][$module][$exports]'],
    ['Function', '[$Function][$Function("return 1")][$eval]'],
    [
      'JS built-ins on strings',
      '#set($s = "x")[$s.length][$s.valueOf()][$s.at(0)][$s.codePointAt(0)][$s.big()]',
    ],
    [
      'JS built-ins on maps',
      '#set($m = {})[$m.toString][$m.hasOwnProperty("a")][$m.valueOf()][$m.__lookupGetter__("a")]',
    ],
    [
      'JS built-ins on lists',
      '#set($l = [1])[$l.push(2)][$l.join("-")][$l.map][$l.size().toString().replace("1", "")]',
    ],
    ['macro table', '[#eval("$process")][#evaluate("$process")][#include("/etc/passwd")][#parse("x")]'],
    ['Object members as directives', '[#constructor()][#hasOwnProperty("x")][#toString()][#valueOf()]'],
    ['velocityjs eval hook', '#set($m = {})[$m.eval("1")][$input.eval("#set($x = 1)")]'],
  ])('renders nothing for %s', (_name, template) => {
    expect(attempt(template.replaceAll(' #end', '#end'))).toMatch(/^(\[\])+$/);
  });

  it.each([
    ['#set on __proto__', '#set($m = {})#set($m.__proto__.polluted = 1)#set($x = {})[$x.polluted]'],
    ['#set through a bracket', '#set($m = {})#set($m["__proto__"]["polluted"] = 1)[$m.polluted]'],
    [
      '#set through constructor.prototype',
      '#set($m = {})#set($m.constructor.prototype.polluted = 1)[$m.polluted]',
    ],
    [
      '#set on a built-in function',
      '#set($m = {})#set($m.toString.polluted = 1)#set($m.hasOwnProperty.polluted = 1)[]',
    ],
    ['put("__proto__")', '#set($m = {})#set($x = $m.put("__proto__", {"polluted": 1}))[$m.polluted]'],
    ['map literal __proto__', '#set($m = {"__proto__": {"polluted": 1}})[$m.polluted]'],
    ['JSON __proto__', '#set($m = $util.parseJson(\'{"__proto__": {"polluted": 1}}\'))[$m.polluted]'],
    ['#set on $util', '#set($util.urlEncode = "x")#set($util.polluted = 1)[$util.polluted]'],
    ['foreach variable __proto__', '#foreach($__proto__ in [{"polluted": 1}])#end[]'],
    ['macro argument __proto__', '#macro(m $__proto__)#set($y = 1)#end#m({"polluted": 1})[]'],
  ])('cannot pollute prototypes: %s', (_name, template) => {
    expect(attempt(template)).toMatch(/^(\[\]|<TemplateRenderError>)$/);
  });

  it('keeps an own "__proto__" key of a map readable through get()', () => {
    expect(render('#set($m = {})#set($x = $m.put("__proto__", "v"))$m.get("__proto__") $m.size()')).toBe(
      'v 1',
    );
  });

  it('gives each render fresh $input and shared $util unchanged', () => {
    const compiled = compileTemplate(
      '$util.urlEncode("a b")#set($util.urlEncode = "x")#set($input.json = "y")$input.json("$")',
    );
    expect(compiled.render(makeScope({ body: '{"a":1}' }))).toBe('a+b{"a":1}');
    expect(compiled.render(makeScope({ body: '{"a":1}' }))).toBe('a+b{"a":1}');
  });

  it('only ever throws the two template errors from render', () => {
    const cases = [
      '$input.path("$.a[")',
      '#set($l = [])$l.get(0)',
      '$util.parseJson("{")',
      '#set($s = "x")$s.matches("(")',
    ];
    for (const template of cases) expect(() => render(template)).toThrow(TemplateRenderError);
  });
});
