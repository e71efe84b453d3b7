export type CommandName = 'serve' | 'routes' | 'export' | 'invoke';

const EXIT_CODES = `Exit codes:
  0  done (serve: stopped by SIGINT or SIGTERM, requests in flight drained)
  1  the API cannot be read or served: a missing file, a definition or options error, a port in use
  2  usage error: an unknown command or option, a missing or malformed argument
  130, 143  serve: a second SIGINT or SIGTERM while draining stopped it at once`;

const DEFINITION = `<file> is one of:
  serverless.yml / serverless.yaml     a Serverless Framework service
  a YAML or JSON template              with AWSTemplateFormatVersion, Transform or Resources (SAM, CloudFormation, cdk synth)
  a YAML or JSON OpenAPI document      with openapi or swagger, and x-amazon-apigateway-* extensions
  a .js, .cjs or .mjs module           exporting the apiGateway() options, used as they are`;

const COMMON = `  --stage <name>                 the stage to serve (stageName; default: the definition's, else prod)
  --env-file <path>              read environment variables from a dotenv file first (set ones win); repeatable
  --parameter-overrides <K=V>…   template Parameters values (also ParameterKey=K,ParameterValue=V)
  --stack-name <name>            the template's stack: AWS::StackName and the names CloudFormation
                                 generates for unnamed resources (default local, as sam local)
  --serve-unenforced-guards-open serve a definition whose guards cannot be enforced here (an authorizer
                                 defined elsewhere, a PRIVATE endpoint…) with them dropped, each opened
                                 method logged; without it such a definition is refused
  --allow-remote-refs            let the OpenAPI definition's $refs fetch http(s) URLs (default: refused;
                                 files are read only under the definition's folder either way)
  -h, --help                     this help`;

export const HELP: Record<'program' | CommandName, string> = {
  program: `Usage: apigw-express <command> <file> [options]

Runs an Amazon API Gateway REST API (v1) with its Lambda functions on this machine.

Commands:
  serve <file>     serve the API over HTTP
  routes <file>    print the route table: method, path, integration, authorization
  export <file>    print the API as OpenAPI 3 with x-amazon-apigateway-* extensions
  invoke <file>    run one request without a server, as the console's Test: answer and execution log

Run apigw-express <command> --help for a command's options.

${DEFINITION}

${EXIT_CODES}
`,
  serve: `Usage: apigw-express serve <file> [options]

Serves the API over HTTP under its stage (http://127.0.0.1:3000/prod/…) until SIGINT or SIGTERM.

Options:
  -p, --port <port>              port to listen on (default: PORT, else 3000; 0 picks a free one)
  --host <host>                  address to listen on (default 127.0.0.1)
  -w, --watch                    reload when the file or anything in its folder changes; a failed reload
                                 keeps the last good version serving
  -q, --quiet                    no line per request (method, path, status, time, request id)
  --grace-period <seconds>       on SIGTERM or SIGINT, how long requests in flight may take to finish
                                 (default 25, under the 30 s orchestrators wait before SIGKILL); new
                                 connections are refused at once, a second signal stops at once
  --health-path <path>           answer GET <path> (outside the stage) 200 {"status":"ok"} while serving,
                                 503 while draining, for a load balancer; API Gateway has no such path
  --workers <N|auto>             N processes serving the same port (node:cluster; auto: one per CPU);
                                 a worker that dies is started again. Usage plans and throttles count
                                 per worker unless an options module sets store: { redis }
  --isolation <process|none>     where functions given by Handler string run: process (default), each in
                                 execution environments of its own as on Lambda; none, in serve's process
${COMMON}

${DEFINITION}

${EXIT_CODES}
`,
  routes: `Usage: apigw-express routes <file> [options]

Prints the route table: method, resource path, integration type and function, authorization.

Options:
${COMMON}

${EXIT_CODES}
`,
  export: `Usage: apigw-express export <file> [options]

Prints the API as an OpenAPI 3 document with x-amazon-apigateway-* extensions (JSON, on stdout).
An HTTP API (v2) is written as aws apigatewayv2 export-api writes it: for a definition of HTTP APIs
only, an HTTP API's OpenAPI file, or with --http-api.

Options:
  --http-api                     write the definition's HTTP API, not its REST API
${COMMON}

${EXIT_CODES}
`,
  invoke: `Usage: apigw-express invoke <file> --path <path> [options]

Runs one request through the API without a server, as the console's Test tab and
aws apigateway test-invoke-method do, and prints the status, headers, body and execution log.
As there, the method's authorizer and API key are bypassed unless --authorize is given.
An HTTP API (v2) has no test invoke on AWS: its request runs as a client's would, authorizers
included, with no execution log (a definition of HTTP APIs only, or --http-api).

Options:
  --http-api                     run the request through the definition's HTTP API, not its REST API
  --path <path>                  the path below the stage, parameters filled in: /pets/1 (required)
  -X, --method <method>          the HTTP method (default GET)
  -H, --header <name:value>      a request header; repeatable
  --query <a=b>                  a query string parameter, or several joined with &; repeatable
  --body <text|@file>            the request body, or @ and a file to read it from
  --stage-variable <name=value>  a stage variable for this call; repeatable
  --authorize                    run the method's authorizer and API key check as a deployed stage does
  --json                         print test-invoke-method's JSON (status, headers, body, log, latency)
${COMMON}

Exit codes:
  0  the request ran, whatever its HTTP status
  1  the API cannot be read: a missing file, a definition or options error, an unreadable --body file
  2  usage error: an unknown command or option, a missing or malformed argument
`,
};
