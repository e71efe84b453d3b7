import path from 'node:path';
import ts from 'typescript';

// ts-jest here transpiles without type-checking, so the fixture is compiled with the project's options.
const root = path.resolve(__dirname, '../..');
const fixture = path.join(__dirname, 'fixtures/handlers.ts');

function compile(): { program: ts.Program; diagnostics: string[] } {
  const configFile = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const program = ts.createProgram([fixture], { ...options, noEmit: true });
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return { program, diagnostics };
}

/** The type of each `const <name> = …` in the fixture, as the checker prints it. */
function declaredTypes(program: ts.Program): Record<string, string> {
  const checker = program.getTypeChecker();
  const types: Record<string, string> = {};
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text.endsWith('Seen')) {
      types[node.name.text] = checker.typeToString(checker.getTypeAtLocation(node.name));
    }
    ts.forEachChild(node, visit);
  };
  visit(program.getSourceFile(fixture) as ts.SourceFile);
  return types;
}

describe('handler types', () => {
  const { program, diagnostics } = compile();

  it('compile: handlers written against the types re-exported from the package; every mistyped handler refused', () => {
    expect(diagnostics).toEqual([]);
  });

  it('inline handlers take the event of the integration or authorizer that names them', () => {
    expect(declaredTypes(program)).toEqual({
      proxyEventSeen: 'APIGatewayProxyEvent',
      tokenEventSeen: 'APIGatewayTokenAuthorizerEvent',
      requestEventSeen: 'APIGatewayRequestAuthorizerEvent',
      awsEventSeen: 'any',
    });
  });
});
