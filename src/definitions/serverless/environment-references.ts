import { IntrinsicResolver, type TemplateResource } from '../cloudformation/intrinsics.js';
import type { ImportContext } from '../import-context.js';
import { VariableResolver } from './resolve-variables.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The framework's logical id of a function: `hello-world` → `HelloDashworldLambdaFunction`. */
export function functionLogicalId(key: string): string {
  const normalized = `${key.charAt(0).toUpperCase()}${key.slice(1)}`
    .replaceAll('-', 'Dash')
    .replaceAll('_', 'Underscore');
  return `${normalized}LambdaFunction`;
}

/**
 * Resolves CloudFormation references in functions' `environment` (`{ Ref: UsersTable }`,
 * `!GetAtt Queue.Arn`) as the deployed stack would: over `resources.Resources` (its variables
 * resolved where they can be) and the service's functions (`{Name}LambdaFunction`, named
 * `<service>-<stage>-<key>`), in the stack `provider.stackName`, else `<service>-<stage>`.
 */
export function environmentReferences(
  document: Record<string, unknown>,
  sources: ConstructorParameters<typeof VariableResolver>[1],
  service: { stackName: string; region: string; deployedNames: Map<string, string> },
  ctx: ImportContext,
): IntrinsicResolver {
  const section = isRecord(document.resources) ? document.resources : {};
  const raw = isRecord(section.Resources) ? section.Resources : {};
  // Its own resolver, so variables only unrelated resources use are not reported.
  const variables = new VariableResolver(document, sources);
  const resources: Record<string, TemplateResource> = {};
  for (const [id, resource] of Object.entries(raw)) {
    let resolved: unknown = resource;
    try {
      resolved = variables.get(['resources', 'Resources', id]);
    } catch {
      // left as written: its name may still not need the variable that failed
    }
    if (isRecord(resolved) && typeof resolved.Type === 'string')
      resources[id] = resolved as unknown as TemplateResource;
  }
  for (const [key, name] of service.deployedNames) {
    resources[functionLogicalId(key)] ??= {
      Type: 'AWS::Lambda::Function',
      Properties: { FunctionName: name },
    };
  }
  return new IntrinsicResolver(
    { Resources: resources, Conditions: isRecord(section.Conditions) ? section.Conditions : undefined },
    {
      'AWS::Region': service.region,
      ...(ctx.accountId !== undefined && { 'AWS::AccountId': ctx.accountId }),
    },
    {},
    ctx.baseDir,
    ctx.importValues,
    { stackName: service.stackName },
  ).forEnvironment();
}
