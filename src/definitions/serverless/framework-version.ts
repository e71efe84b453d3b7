import { ConfigError } from '../../config/config-error.js';

// What changed in the framework's compiled API between its releases, read from serverless/serverless
// at the tags named (lib/plugins/aws/package/compile/events/apiGateway/lib/*):
// - v2.53.0 (d2754594c) a required request parameter alone attaches the request validator;
// - v2.59.0 (7cd396689) `cors: true` stops meaning `origins: ['*']` (which echoed any Origin);
// - v3.0.0 `http.request.schema` is no longer compiled (v2 deprecated it for `request.schemas`),
//   `provider.apiKeys`/`provider.usagePlan` are read only under `provider.apiGateway`, a REQUEST
//   authorizer without caching gets no default identity source (786a76d1d), and `self:` reads the
//   file as written (v1/v2 read the Service object, where provider.stage defaults to dev and
//   provider.region is set to the deployment region);
// - v3.20.0 (9fd56fddb) `X-Amzn-Trace-Id` joins the default CORS headers.

type Version = [number, number, number];

/** The framework's rules that change what the deployed API answers. */
export interface FrameworkRules {
  /** The release whose rules apply: the newest that `frameworkVersion` admits, or undefined when absent. */
  release: string | undefined;
  /** `http.request.schema` compiles to models and the validator (v1/v2; also read when frameworkVersion is absent). */
  requestSchema: boolean;
  /** A required request parameter alone attaches the validator (from v2.53). */
  requiredParametersValidated: boolean;
  /** `cors: true` is `origins: ['*']`: the preflight echoes the request's Origin (before v2.59). */
  corsTrueEchoesOrigin: boolean;
  /** `X-Amzn-Trace-Id` is among the default CORS headers (from v3.20). */
  corsTraceIdHeader: boolean;
  /** A REQUEST authorizer with `resultTtlInSeconds: 0` still defaults to the Authorization header (v1/v2). */
  uncachedRequestAuthorizerIdentity: boolean;
  /** `provider.apiKeys` and `provider.usagePlan` are read (v1/v2; also read when frameworkVersion is absent). */
  providerApiKeys: boolean;
  /** `${self:provider.stage}` is dev and `${self:provider.region}` the region when the file sets neither (v1/v2; also when absent). */
  selfProviderDefaults: boolean;
}

/** Releases where a rule above changes, and each major's newest release. */
const RELEASES: Version[] = [
  [1, 0, 0],
  [1, 83, 3],
  [2, 0, 0],
  [2, 53, 0],
  [2, 59, 0],
  [2, 72, 4],
  [3, 0, 0],
  [3, 20, 0],
  [3, 40, 0],
  [4, 0, 0],
];
const INFINITY: Version = [Number.MAX_SAFE_INTEGER, 0, 0];

const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
const atLeast = (v: Version, major: number, minor = 0) => compare(v, [major, minor, 0]) >= 0;

interface Interval {
  from: Version;
  /** Exclusive. */
  to: Version;
}

/** `2`, `2.1`, `2.x`, `2.1.3`, `*` → the numbers given (x and * end them). */
function partial(text: string): number[] | undefined {
  const bare = text.replace(/^v/, '').replace(/[-+].*$/, '');
  if (bare === '' || bare === '*' || bare.toLowerCase() === 'x') return [];
  const parts = bare.split('.');
  if (parts.length > 3) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    if (part === '*' || part.toLowerCase() === 'x') break;
    if (!/^\d+$/.test(part)) return undefined;
    numbers.push(Number(part));
  }
  return numbers;
}

const fill = (n: number[]): Version => [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0];

/** The version after every version a partial names: `2` → 3.0.0, `2.1` → 2.2.0. */
function after(n: number[]): Version {
  if (n.length === 0) return INFINITY;
  if (n.length === 1) return [n[0] + 1, 0, 0];
  if (n.length === 2) return [n[0], n[1] + 1, 0];
  return [n[0], n[1], n[2] + 1];
}

/** One comparator (`^2.1`, `~2.1.0`, `>=1.0.0`, `2.x`) as an interval, node-semver's way. */
function comparator(token: string): Interval | undefined {
  const match = /^(\^|~>?|>=|<=|>|<|=)?\s*(.*)$/.exec(token);
  if (!match) return undefined;
  const [, operator = '', rest] = match;
  const n = partial(rest);
  if (n === undefined) return undefined;
  const v = fill(n);
  switch (operator) {
    case '^': {
      if (n.length === 0) return { from: [0, 0, 0], to: INFINITY };
      if (v[0] > 0 || n.length === 1) return { from: v, to: [v[0] + 1, 0, 0] };
      if (v[1] > 0 || n.length === 2) return { from: v, to: [0, v[1] + 1, 0] };
      return { from: v, to: [0, 0, v[2] + 1] };
    }
    case '~':
    case '~>':
      return { from: v, to: n.length <= 1 ? after(n) : [v[0], v[1] + 1, 0] };
    case '>=':
      return { from: v, to: INFINITY };
    case '>':
      return { from: after(n), to: INFINITY };
    case '<=':
      return { from: [0, 0, 0], to: after(n) };
    case '<':
      return { from: [0, 0, 0], to: v };
    default:
      return { from: v, to: after(n) };
  }
}

/** A range (`>=1.0.0 <2.0.0`, `^2.x || 3`, `1.2 - 1.5`) as intervals; undefined when it is not one. */
export function rangeIntervals(range: string): Interval[] | undefined {
  const intervals: Interval[] = [];
  for (const alternative of range.split('||')) {
    const text = alternative.trim().replace(/(\^|~>?|>=|<=|>|<|=)\s+/g, '$1');
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    const tokens = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : text === '' ? ['*'] : text.split(/\s+/);
    let interval: Interval = { from: [0, 0, 0], to: INFINITY };
    for (const token of tokens) {
      const next = comparator(token);
      if (next === undefined) return undefined;
      interval = {
        from: compare(next.from, interval.from) > 0 ? next.from : interval.from,
        to: compare(next.to, interval.to) < 0 ? next.to : interval.to,
      };
    }
    if (compare(interval.from, interval.to) < 0) intervals.push(interval);
  }
  return intervals;
}

/**
 * The release whose rules apply: the newest the range admits, as `npm install serverless@<range>`
 * would pick (a known release where a rule changes stands for the releases after it).
 */
function newestAdmitted(intervals: Interval[]): Version | undefined {
  let newest: Version | undefined;
  for (const { from, to } of intervals) {
    const inside = RELEASES.filter((r) => compare(r, from) >= 0 && compare(r, to) < 0);
    const pick = compare(to, INFINITY) === 0 ? INFINITY : (inside.at(-1) ?? from);
    if (newest === undefined || compare(pick, newest) > 0) newest = pick;
  }
  return newest;
}

/** The rules of the framework `frameworkVersion` names; absent, v3's, reading the forms only v1/v2 had as they did. */
export function frameworkRules(frameworkVersion: unknown): FrameworkRules {
  if (frameworkVersion === undefined || frameworkVersion === null) {
    return {
      release: undefined,
      requestSchema: true,
      requiredParametersValidated: true,
      corsTrueEchoesOrigin: false,
      corsTraceIdHeader: true,
      uncachedRequestAuthorizerIdentity: false,
      providerApiKeys: true,
      selfProviderDefaults: true,
    };
  }
  const range = String(frameworkVersion).trim();
  const intervals = rangeIntervals(range);
  const release = intervals === undefined ? undefined : newestAdmitted(intervals);
  if (release === undefined) {
    throw new ConfigError(
      `frameworkVersion: "${range}" is not a version range the framework accepts (for example '3', '^2.x' or '>=1.0.0 <2.0.0')`,
    );
  }
  const legacy = !atLeast(release, 3);
  return {
    release: compare(release, INFINITY) === 0 ? 'latest' : release.join('.'),
    requestSchema: legacy,
    requiredParametersValidated: atLeast(release, 2, 53),
    corsTrueEchoesOrigin: !atLeast(release, 2, 59),
    corsTraceIdHeader: atLeast(release, 3, 20),
    uncachedRequestAuthorizerIdentity: legacy,
    providerApiKeys: legacy,
    selfProviderDefaults: legacy,
  };
}
