import { isGatewayResponseType } from '../responses/validate-gateway-responses.js';

/**
 * A gateway response key of an imported definition (`x-amazon-apigateway-gateway-responses`,
 * SAM's `GatewayResponses`, which SAM copies there unchanged) as the response type it names.
 * API Gateway's import reads its enum values whatever their case (`when_no_match`, `aws_proxy`),
 * and SAM's own example template wrote `DEFAULT_4xx` (serverless-application-model
 * examples/2016-10-31/api_gateway_responses, commit 7b16fbb); a key naming no type is left out
 * with a warning, as the import (`FailOnWarnings` false by default) leaves out what it cannot
 * read, not the whole API.
 */
export function importedResponseType(key: string, where: string, unsupported: string[]): string | undefined {
  const type = key.toUpperCase();
  if (isGatewayResponseType(type)) return type;
  unsupported.push(`${where}.${key}: no such gateway response type, left out`);
  return undefined;
}
