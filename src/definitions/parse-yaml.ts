import { type DocumentOptions, type ParseOptions, parse, type SchemaOptions } from 'yaml';

/**
 * How far aliases may expand, counted as the `yaml` package counts it (uses of an anchor times
 * the aliases nested in it). Plain reuse of an alias-free anchor is not limited; a nested
 * "billion laughs" document stops within a few levels instead of expanding to gigabytes.
 */
export const MAX_YAML_ALIAS_COUNT = 100;

type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * A definition's YAML text → its value, with the alias limit every definition reader keeps:
 * a definition is input, and an alias bomb is refused while it is still small.
 * @example parseDefinitionYaml('a: &x [1]\nb: *x') // { a: [1], b: [1] }
 */
export function parseDefinitionYaml(text: string, options: YamlOptions = {}): unknown {
  try {
    return parse(text, { ...options, maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /excessive alias count/i.test(error.message)) {
      throw new Error(
        `its aliases expand beyond ${MAX_YAML_ALIAS_COUNT} nodes (a YAML alias bomb?); refused rather than expanded`,
      );
    }
    throw error;
  }
}
