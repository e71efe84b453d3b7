import path from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import type { FunctionDefinition, LoggingConfig } from '../../config/types.js';
import type { IntrinsicResolver, TemplateResource } from './intrinsics.js';
import { mergeGlobals } from './sam-globals.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The template's Lambda functions (`AWS::Serverless::Function` with `Globals.Function`, and
 * `AWS::Lambda::Function` as `cdk synth` writes it), keyed by logical id: `Handler` under its
 * code folder — SAM's `CodeUri` relative to the template, or a CDK asset's
 * `Metadata["aws:asset:path"]` — with `Environment.Variables` (resolved as for a deployed
 * function: see `IntrinsicResolver.forEnvironment`), `Timeout`, `MemorySize` and `LoggingConfig`.
 * Functions that cannot run here (not Node.js, an image, code only on S3 or inline) are left out
 * and named in `unsupported`: give them in the `functions` option.
 */
export function readFunctions(
  resources: Record<string, TemplateResource>,
  globals: Record<string, unknown> | undefined,
  resolver: IntrinsicResolver,
  baseDir: string,
  unsupported: string[],
): Record<string, FunctionDefinition> {
  const functions: Record<string, FunctionDefinition> = {};
  // A function's environment gets what CloudFormation gives: physical names, URLs, ARNs.
  const environment = resolver.forEnvironment();
  const resolveProps = (props: Record<string, unknown>, where: string) => {
    const { Environment, ...rest } = props;
    const resolved = resolver.resolve(rest, where) as Record<string, unknown>;
    if (Environment !== undefined)
      resolved.Environment = environment.resolve(Environment, `${where}.Environment`);
    return resolved;
  };
  for (const [id, resource] of Object.entries(resources)) {
    const where = `Resources.${id}.Properties`;
    if (resource.Type === 'AWS::Serverless::Function') {
      const raw = mergeGlobals(globals ?? {}, resource.Properties ?? {});
      const { Events: _events, ...rest } = raw;
      const props = resolveProps(rest, where);
      const codeUri = props.CodeUri;
      let codeFolder: string | undefined;
      if (props.InlineCode !== undefined) unsupported.push(`${id}: InlineCode`);
      else if (typeof codeUri === 'string' && !codeUri.startsWith('s3://'))
        codeFolder = path.resolve(baseDir, codeUri);
      else if (codeUri === undefined && props.ImageUri === undefined) codeFolder = baseDir;
      else unsupported.push(`${id}: ${props.ImageUri !== undefined ? 'ImageUri' : 'CodeUri on S3'}`);
      addFunction(functions, id, props, codeFolder, where, unsupported);
    } else if (resource.Type === 'AWS::Lambda::Function') {
      const { Code, ...rest } = resource.Properties ?? {};
      const props = resolveProps(rest, where);
      const asset = resource.Metadata?.['aws:asset:path'];
      let codeFolder: string | undefined;
      if (typeof asset === 'string' && resource.Metadata?.['aws:asset:property'] !== 'ImageUri') {
        codeFolder = path.resolve(baseDir, asset);
      } else {
        const kind =
          isObject(Code) && Code.ZipFile !== undefined
            ? 'Code.ZipFile (inline code)'
            : 'Code on S3 or in an image';
        unsupported.push(`${id}: ${kind}`);
      }
      addFunction(functions, id, props, codeFolder, where, unsupported);
    }
  }
  return functions;
}

function addFunction(
  functions: Record<string, FunctionDefinition>,
  id: string,
  props: Record<string, unknown>,
  codeFolder: string | undefined,
  where: string,
  unsupported: string[],
): void {
  const runtime = props.Runtime;
  if (props.PackageType === 'Image') {
    unsupported.push(`${id}: PackageType Image`);
    return;
  }
  if (typeof runtime === 'string' && !runtime.startsWith('nodejs')) {
    unsupported.push(`${id}: Runtime ${runtime} (only Node.js functions run here)`);
    return;
  }
  if (codeFolder === undefined) return;
  if (typeof props.Handler !== 'string' || props.Handler === '') {
    throw new ConfigError(`${where}.Handler: missing (a Node.js function needs "file.export")`);
  }
  const definition: FunctionDefinition = { handler: props.Handler, codeUri: codeFolder };
  const variables = isObject(props.Environment) ? props.Environment.Variables : undefined;
  if (isObject(variables)) {
    definition.environment = Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [
        name,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
  }
  if (props.Timeout !== undefined) definition.timeout = Number(props.Timeout);
  if (props.MemorySize !== undefined) definition.memorySize = Number(props.MemorySize);
  const loggingConfig = readLoggingConfig(props.LoggingConfig);
  if (loggingConfig !== undefined) definition.loggingConfig = loggingConfig;
  if (props.ReservedConcurrentExecutions !== undefined)
    definition.reservedConcurrency = Number(props.ReservedConcurrentExecutions);
  functions[id] = definition;
}

// AWS::Lambda::Function LoggingConfig → loggingConfig (checked with the function's other settings).
const LOGGING_CONFIG_KEYS: Record<string, keyof LoggingConfig> = {
  LogFormat: 'logFormat',
  ApplicationLogLevel: 'applicationLogLevel',
  SystemLogLevel: 'systemLogLevel',
  LogGroup: 'logGroup',
};

function readLoggingConfig(value: unknown): LoggingConfig | undefined {
  if (!isObject(value)) return undefined;
  const config: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(LOGGING_CONFIG_KEYS)) {
    if (value[key] !== undefined) config[field] = value[key];
  }
  return config as LoggingConfig;
}
