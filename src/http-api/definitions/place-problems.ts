import { ConfigError, configErrors } from '../../config/config-error.js';

/** An option's path in `httpApi()` (`routes["GET /"]`, `cors`) → where a definition declares it. */
export type ProblemSources = Record<string, string>;

/**
 * A ConfigError about options read from a definition, each problem preceded by where the
 * definition declares it: `authorizers["Jwt"].issuer: …` → `Resources.Api.Properties.Auth.
 * Authorizers.Jwt: authorizers["Jwt"].issuer: …`. A problem whose option has no source (given
 * beside the definition) stays as it is.
 */
export function placeProblems(error: unknown, sources: ProblemSources | undefined): unknown {
  if (!(error instanceof ConfigError) || sources === undefined) return error;
  // Longest first: `routes["GET /a/{b}"]` before a shorter key it starts with.
  const prefixes = Object.keys(sources).sort((a, b) => b.length - a.length);
  const placed = error.problems.map((problem) => {
    const prefix = prefixes.find((p) => problem.startsWith(p) && /^($|[.:[ ])/.test(problem.slice(p.length)));
    // The option's own name stays: the definition's field may be spelt otherwise (AuthorizerUri → function).
    return prefix === undefined ? problem : `${sources[prefix]}: ${problem}`;
  });
  return placed.every((line, i) => line === error.problems[i]) ? error : configErrors(placed);
}

/** The sources of the options a definition gave, less those the options given beside it replace. */
export function definitionSources(
  sources: ProblemSources | undefined,
  given: Record<string, unknown>,
): ProblemSources | undefined {
  if (sources === undefined) return undefined;
  const kept: ProblemSources = {};
  for (const [option, where] of Object.entries(sources)) {
    const entry = /^(\w+)\["(.*)"\]$/.exec(option);
    const replaced =
      entry === null
        ? given[option] !== undefined
        : Object.hasOwn((given[entry[1]] as Record<string, unknown> | undefined) ?? {}, entry[2]);
    if (!replaced) kept[option] = where;
  }
  return kept;
}
