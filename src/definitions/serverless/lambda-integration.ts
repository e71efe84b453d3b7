import type { IntegrationResponse, MethodResponse } from '../../config/types.js';

// The request templates and status codes below are the Serverless Framework's own, copied
// character for character from serverless/serverless v3 (19128fad)
// lib/plugins/aws/package/compile/events/api-gateway/lib/method/integration.js and validate.js.

const DEFAULT_COMMON_TEMPLATE = `
  #define( $loop )
    {
    #foreach($key in $map.keySet())
        #set( $k = $util.escapeJavaScript($key) )
        #set( $v = $util.escapeJavaScript($map.get($key)).replaceAll("\\\\'", "'") )
        "$k":
          "$v"
          #if( $foreach.hasNext ) , #end
    #end
    }
  #end

  {
    "body": $body,
    "method": "$context.httpMethod",
    "principalId": "$context.authorizer.principalId",
    "stage": "$context.stage",

    "cognitoPoolClaims" : {
       extraCognitoPoolClaims
       "sub": "$context.authorizer.claims.sub"
    },

    #set( $map = $context.authorizer )
    "enhancedAuthContext": $loop,

    #set( $map = $input.params().header )
    "headers": $loop,

    #set( $map = $input.params().querystring )
    "query": $loop,

    #set( $map = $input.params().path )
    "path": $loop,

    #set( $map = $context.identity )
    "identity": $loop,

    #set( $map = $stageVariables )
    "stageVariables": $loop,

    "requestPath": "$context.resourcePath"
  }
`;

const DEFAULT_JSON_REQUEST_TEMPLATE = `
    #set( $body = $input.json("$") )

    ${DEFAULT_COMMON_TEMPLATE}
  `;

const DEFAULT_FORM_URL_ENCODED_REQUEST_TEMPLATE = `
    #define( $body )
      {
      #foreach( $token in $input.path('$').split('&') )
        #set( $keyVal = $token.split('=') )
        #set( $keyValSize = $keyVal.size() )
        #if( $keyValSize >= 1 )
          #set( $key = $util.escapeJavaScript($util.urlDecode($keyVal[0])) )
          #if( $keyValSize >= 2 )
            #set($val = $util.escapeJavaScript($util.urlDecode($keyVal[1])).replaceAll("\\\\'","'"))
          #else
            #set( $val = '' )
          #end
          "$key": "$val"#if($foreach.hasNext),#end
        #end
      #end
      }
    #end

    ${DEFAULT_COMMON_TEMPLATE}
  `;

/** `integration: lambda` without `response.statusCodes`: the framework's selection patterns. */
export const DEFAULT_STATUS_CODES: Record<string, { pattern: string }> = {
  200: { pattern: '' },
  400: { pattern: '[\\s\\S]*\\[400\\][\\s\\S]*' },
  401: { pattern: '[\\s\\S]*\\[401\\][\\s\\S]*' },
  403: { pattern: '[\\s\\S]*\\[403\\][\\s\\S]*' },
  404: { pattern: '[\\s\\S]*\\[404\\][\\s\\S]*' },
  422: { pattern: '[\\s\\S]*\\[422\\][\\s\\S]*' },
  500: { pattern: '[\\s\\S]*(Process\\s?exited\\s?before\\s?completing\\s?request|\\[500\\])[\\s\\S]*' },
  502: { pattern: '[\\s\\S]*\\[502\\][\\s\\S]*' },
  504: { pattern: '([\\s\\S]*\\[504\\][\\s\\S]*)|(.*Task timed out after \\d+\\.\\d+ seconds$)' },
};

/**
 * `cognitoPoolClaims` entries for an authorizer's `claims`: `email` → `"email": "$context.authorizer.claims.email"`,
 * `custom:role` → `"role": "$context.authorizer.claims['custom:role']"` (method/index.js).
 */
function claimLines(claims: unknown[]): string {
  if (claims.length === 0) return '';
  const lines = claims.map((claim) => {
    if (typeof claim === 'string') {
      const colon = claim.indexOf(':');
      if (colon !== -1) return `"${claim.substring(colon + 1)}": "$context.authorizer.claims['${claim}']"`;
    }
    return `"${claim}": "$context.authorizer.claims.${claim}"`;
  });
  return `${lines.join(',')},`;
}

/**
 * The request templates of an `integration: lambda` event: the framework's JSON and form
 * templates, with `request.template` merged over them per content type (`null` removes one).
 */
export function lambdaRequestTemplates(
  custom: Record<string, unknown> | undefined,
  claims: unknown[],
): Record<string, string> | undefined {
  const templates: Record<string, string> = {
    'application/json': DEFAULT_JSON_REQUEST_TEMPLATE,
    'application/x-www-form-urlencoded': DEFAULT_FORM_URL_ENCODED_REQUEST_TEMPLATE,
  };
  for (const [contentType, template] of Object.entries(custom ?? {})) {
    if (template === null) delete templates[contentType];
    else templates[contentType] = String(template);
  }
  const extra = claimLines(claims);
  for (const [contentType, template] of Object.entries(templates)) {
    // String#replace: only the first occurrence, as the framework does
    templates[contentType] = template.replace('extraCognitoPoolClaims', extra);
  }
  return Object.keys(templates).length > 0 ? templates : undefined;
}

/** What `response` of an event gives: integration responses, and the method responses declaring their headers. */
export interface LambdaResponses {
  integrationResponses: IntegrationResponse[];
  methodResponses: MethodResponse[];
}

interface StatusCodeConfig {
  pattern?: string;
  headers?: Record<string, string>;
  template?: string | Record<string, string>;
}

/**
 * `response` → one integration response per status code (method/integration.js
 * `getIntegrationResponses`), with the CORS origin header first, then `response.headers`, then
 * the status code's own `headers`; `response.template` and the code's `template` as response templates.
 */
export function lambdaResponses(
  response: Record<string, unknown> | undefined,
  corsHeaders: Record<string, string>,
): LambdaResponses {
  let statusCodes = response?.statusCodes as Record<string, StatusCodeConfig> | undefined;
  if (statusCodes === undefined) statusCodes = DEFAULT_STATUS_CODES;
  else if (!Object.values(statusCodes).some((code) => code?.pattern === '')) {
    statusCodes = { ...statusCodes, 200: DEFAULT_STATUS_CODES[200] };
  }
  const commonHeaders = { ...corsHeaders, ...((response?.headers as Record<string, string>) ?? {}) };
  const integrationResponses: IntegrationResponse[] = [];
  const methodResponses: MethodResponse[] = [];
  for (const [statusCode, config = {}] of Object.entries(statusCodes)) {
    const headers = { ...commonHeaders, ...(config.headers ?? {}) };
    const responseParameters: Record<string, string> = {};
    const declared: Record<string, boolean> = {};
    for (const [name, value] of Object.entries(headers)) {
      responseParameters[`method.response.header.${name}`] = String(value);
      declared[`method.response.header.${name}`] = true;
    }
    const responseTemplates: Record<string, string> = {};
    if (typeof response?.template === 'string') responseTemplates['application/json'] = response.template;
    if (typeof config.template === 'string') responseTemplates['application/json'] = config.template;
    else if (config.template) Object.assign(responseTemplates, config.template);
    const integrationResponse: IntegrationResponse = {
      statusCode,
      responseParameters,
      responseTemplates,
    };
    // `pattern: ''` is the default response: AWS stores an empty selectionPattern as none
    if (config.pattern) integrationResponse.selectionPattern = config.pattern;
    if (statusCode.startsWith('2') && response?.contentHandling !== undefined) {
      integrationResponse.contentHandling =
        response.contentHandling as IntegrationResponse['contentHandling'];
    }
    integrationResponses.push(integrationResponse);
    methodResponses.push({ statusCode, responseParameters: declared });
  }
  return { integrationResponses, methodResponses };
}
