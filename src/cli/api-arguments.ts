/** What every command reads its API from. */
export interface ApiArguments {
  file: string;
  stageName?: string;
  envFiles: string[];
  parameterOverrides?: Record<string, string>;
  /** `--stack-name`: the template's stack (AWS::StackName, generated resource names). */
  stackName?: string;
  /** `--serve-unenforced-guards-open`: a definition's guards that cannot be enforced are dropped, not refused. */
  serveUnenforcedGuardsOpen?: boolean;
  /** `--allow-remote-refs`: an OpenAPI definition's `$ref`s may fetch URLs. */
  allowRemoteRefs?: boolean;
  /** `export --http-api`: write the definition's HTTP API, not its REST API. */
  httpApi?: boolean;
}
