import type { Tags, YAMLMap, YAMLSeq } from 'yaml';
import { parseDefinitionYaml } from '../parse-yaml.js';

/** The short forms CloudFormation YAML allows, each standing for `{ "Fn::<Name>": … }`. */
const FUNCTION_TAGS = [
  'And',
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Length',
  'Not',
  'Or',
  'Select',
  'Split',
  'Sub',
  'ToJsonString',
  'Transform',
] as const;

function shortForm(tag: string, toLongForm: (value: unknown) => Record<string, unknown>): Tags {
  const fromCollection = (node: YAMLMap.Parsed | YAMLSeq.Parsed) => toLongForm(node.toJSON());
  return [
    { tag, resolve: (value: string) => toLongForm(value) },
    { tag, collection: 'seq', resolve: fromCollection },
    { tag, collection: 'map', resolve: fromCollection },
  ];
}

/** `!GetAtt a.b.c` is `[a, "b.c"]`: the logical id ends at the first dot. */
function getAttLongForm(value: unknown): Record<string, unknown> {
  if (typeof value !== 'string') return { 'Fn::GetAtt': value };
  const dot = value.indexOf('.');
  return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
}

const CLOUDFORMATION_TAGS: Tags = [
  ...shortForm('!Ref', (value) => ({ Ref: value })),
  ...shortForm('!Condition', (value) => ({ Condition: value })),
  ...shortForm('!GetAtt', getAttLongForm),
  ...FUNCTION_TAGS.flatMap((name) => shortForm(`!${name}`, (value) => ({ [`Fn::${name}`]: value }))),
];

/**
 * A CloudFormation template's text (YAML with the `!Ref`, `!Sub`, `!GetAtt`… short forms, or
 * JSON) → the template in its long form, as CloudFormation reads it.
 * @example parseTemplate('Uri: !Sub "arn:${AWS::Partition}:x"') // { Uri: { 'Fn::Sub': 'arn:${AWS::Partition}:x' } }
 */
export function parseTemplate(text: string): unknown {
  // CloudFormation's YAML is 1.1-flavoured only in the tags; keys such as `On`/`Off` stay strings.
  return parseDefinitionYaml(text, { customTags: CLOUDFORMATION_TAGS, uniqueKeys: false });
}
