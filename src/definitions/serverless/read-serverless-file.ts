import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Tags } from 'yaml';
import { ConfigError } from '../../config/config-error.js';
import { parseDefinitionYaml } from '../parse-yaml.js';

// CloudFormation's short forms (`!Ref X`, `!GetAtt X.Arn`, `!Sub …`) read as their long forms.
const INTRINSICS = [
  'Ref',
  'GetAtt',
  'Sub',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'And',
  'Or',
  'Not',
  'FindInMap',
  'ImportValue',
  'Base64',
  'GetAZs',
  'Cidr',
  'Condition',
];

const CLOUDFORMATION_TAGS: Tags = INTRINSICS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  const wrap = (value: unknown) => ({
    [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value,
  });
  return (['scalar', 'seq', 'map'] as const).map((nodeClass) => ({
    tag: `!${name}`,
    collection: nodeClass === 'scalar' ? undefined : nodeClass,
    resolve: (value: unknown) =>
      wrap(
        typeof value === 'object' && value !== null && 'toJSON' in value
          ? (value as { toJSON(): unknown }).toJSON()
          : value,
      ),
  })) as Tags;
});

/** Reads `serverless.yml` (or `.yaml`, `.json`) into a plain object. */
export async function readServerlessFile(file: string): Promise<Record<string, unknown>> {
  const name = path.basename(file);
  if (/\.(c|m)?(j|t)s$/.test(file)) {
    throw new ConfigError(
      `serverless: ${name}: a JavaScript or TypeScript service file is not read; give its exported object as \`serverless\``,
    );
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`serverless: cannot read ${file}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = /\.json$/i.test(file)
      ? JSON.parse(text)
      : parseDefinitionYaml(text, { customTags: CLOUDFORMATION_TAGS });
  } catch (error) {
    throw new ConfigError(`serverless: ${name} cannot be parsed: ${(error as Error).message}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ConfigError(
      `serverless: ${name} is not a service definition (a map with service, provider, functions)`,
    );
  }
  return document as Record<string, unknown>;
}
