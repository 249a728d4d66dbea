import { AssemblyStack } from '../src/assembly/cloud-assembly';
import { TemplateResolver } from '../src/assembly/intrinsics';
import { rewriteExecuteApiUrls } from '../src/runner/execute-api-urls';

function stack(template: AssemblyStack['template'], env = { account: '111111111111', region: 'eu-west-1' }): AssemblyStack {
  return { id: 'S', displayName: 'S', stackName: 'S', environment: `aws://${env.account}/${env.region}`, env, template, assemblyDir: '/tmp', fileAssets: new Map() };
}

const TEMPLATE: AssemblyStack['template'] = {
  Parameters: {
    Stage: { Type: 'String', Default: 'prod' },
    NoDefault: { Type: 'String' },
    FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/x' },
    Zones: { Type: 'CommaDelimitedList', Default: 'a, b,c' },
    Count: { Type: 'Number', Default: 3 },
  },
  Conditions: {
    IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
    NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
    Both: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Or': [{ Condition: 'NotProd' }, true] }] },
  },
  Mappings: { Sizes: { prod: { memory: 512 } } },
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    Named: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'named']] } } },
    Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: {} },
    Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
    OnlyInDev: { Type: 'AWS::DynamoDB::Table', Condition: 'NotProd', Properties: {} },
    Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { StageName: 'prod' } },
    Loop: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: { Ref: 'Loop' } } },
    Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
  },
};

describe('TemplateResolver', () => {
  const r = new TemplateResolver(stack(TEMPLATE));

  test('Ref: resources to their local names and ids, parameters to defaults, pseudo parameters to the stack environment', () => {
    expect(r.resolve({ Ref: 'Table' }, 'x')).toMatch(/^S-Table-[0-9A-Z]{12}$/);
    expect(r.resolve({ Ref: 'Named' }, 'x')).toBe('S-named');
    expect(r.resolve({ Ref: 'Api' }, 'x')).toMatch(/^[0-9a-z]{10}$/);
    expect(r.resolve({ Ref: 'Machine' }, 'x')).toMatch(/^arn:aws:states:eu-west-1:111111111111:stateMachine:S-Machine-/);
    expect(r.resolve({ Ref: 'Stage' }, 'x')).toBe('prod');
    expect(r.resolve(['AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::StackName'].map((p) => ({ Ref: p })), 'x'))
      .toEqual(['eu-west-1', '111111111111', 'aws', 'amazonaws.com', 'S']);
  });

  test('an API\'s id is the same through Ref, ApiId and ApiEndpoint', () => {
    const id = r.resolve({ Ref: 'Api' }, 'x');
    expect(r.resolve({ 'Fn::GetAtt': ['Api', 'ApiId'] }, 'x')).toBe(id);
    expect(r.resolve({ 'Fn::GetAtt': ['Api', 'ApiEndpoint'] }, 'x')).toBe(`https://${id}.execute-api.eu-west-1.amazonaws.com`);
  });

  test('the same resource always gets the same name (so --persist finds its tables again)', () => {
    expect(new TemplateResolver(stack(TEMPLATE)).nameOf('Table')).toBe(r.nameOf('Table'));
  });

  test('Fn::GetAtt, Fn::Join, Fn::Sub (both forms), Fn::Select, Fn::Split, Fn::FindInMap, Fn::GetAZs', () => {
    const fnName = r.nameOf('Fn');
    expect(r.resolve({ 'Fn::GetAtt': ['Fn', 'Arn'] }, 'x')).toBe(`arn:aws:lambda:eu-west-1:111111111111:function:${fnName}`);
    expect(r.resolve({ 'Fn::GetAtt': 'Table.Arn' }, 'x')).toBe(`arn:aws:dynamodb:eu-west-1:111111111111:table/${r.nameOf('Table')}`);
    expect(r.resolve({ 'Fn::Join': ['/', ['a', { Ref: 'Stage' }, 3]] }, 'x')).toBe('a/prod/3');
    expect(r.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${Fn.Arn}:${!Literal}' }, 'x'))
      .toBe(`arn:aws:x:eu-west-1:arn:aws:lambda:eu-west-1:111111111111:function:${fnName}:\${Literal}`);
    expect(r.resolve({ 'Fn::Sub': ['${A}-${Stage}', { A: { Ref: 'AWS::Region' } }] }, 'x')).toBe('eu-west-1-prod');
    expect(r.resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] }, 'x')).toBe('b');
    expect(r.resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'memory'] }, 'x')).toBe(512);
    expect(r.resolve({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }, 'x')).toBe('eu-west-1a');
  });

  test('list parameters are lists; Fn::Equals compares as strings; a stage\'s Ref is its name', () => {
    expect(r.resolve({ 'Fn::Join': ['|', { Ref: 'Zones' }] }, 'x')).toBe('a|b|c');
    expect(r.resolve({ 'Fn::Select': [2, { Ref: 'Zones' }] }, 'x')).toBe('c');
    expect(r.resolve({ 'Fn::Equals': [{ Ref: 'Count' }, '3'] }, 'x')).toBe(true);
    expect(r.resolve({ Ref: 'Stage' }, 'x')).toBe('prod');
  });

  test('Fn::If and conditions; AWS::NoValue drops the property; a resource whose condition is false does not exist', () => {
    expect(r.resolve({ 'Fn::If': ['IsProd', 'big', 'small'] }, 'x')).toBe('big');
    expect(r.resolve({ 'Fn::If': ['Both', 1, 2] }, 'x')).toBe(1);
    expect(r.resolve({ a: { 'Fn::If': ['NotProd', 1, { Ref: 'AWS::NoValue' }] }, b: 2 }, 'x')).toEqual({ b: 2 });
    expect(r.resources().map(([id]) => id)).not.toContain('OnlyInDev');
  });

  test('what it cannot resolve is recorded with where and why, and comes back undefined, never made up', () => {
    const resolver = new TemplateResolver(stack(TEMPLATE));
    expect(resolver.resolve({ 'Fn::ImportValue': 'SharedTable' }, 'Fn.Environment.Variables.SHARED')).toBeUndefined();
    expect(resolver.resolve({ 'Fn::Join': ['', ['x', { 'Fn::GetAtt': ['Bucket', 'Arn'] }]] }, 'Fn.Environment.Variables.BUCKET')).toBeUndefined();
    expect(resolver.resolve({ Ref: 'NoDefault' }, 'p1')).toBeUndefined();
    expect(resolver.resolve({ Ref: 'FromSsm' }, 'p2')).toBeUndefined();
    expect(resolver.resolve({ Ref: 'OnlyInDev' }, 'p3')).toBeUndefined();
    expect(resolver.resolve({ Ref: 'Nope' }, 'p4')).toBeUndefined();
    expect(resolver.resolve({ Ref: 'Bucket' }, 'p5')).toBeUndefined();
    expect(resolver.resolve({ 'Fn::Join': ['', 'not a list'] }, 'p6')).toBeUndefined();
    expect(resolver.resolve({ Ref: 'Loop' }, 'p7')).toBeUndefined();
    expect(resolver.unresolved).toEqual([
      { where: 'Fn.Environment.Variables.SHARED', why: 'Fn::ImportValue SharedTable: no stack the runner serves exports it' },
      { where: 'Fn.Environment.Variables.BUCKET', why: 'Fn::GetAtt Bucket.Arn (AWS::S3::Bucket) has no local value' },
      { where: 'p1', why: 'parameter NoDefault has no default' },
      { where: 'p2', why: 'parameter FromSsm is read from SSM (/x)' },
      { where: 'p3', why: 'OnlyInDev is not created (condition NotProd is false)' },
      { where: 'p4', why: 'no resource or parameter named Nope in stack S' },
      { where: 'p5', why: 'Ref Bucket (AWS::S3::Bucket) has no local value' },
      { where: 'p6', why: expect.stringMatching(/^malformed intrinsic: /) },
      { where: 'Loop.TableName', why: 'the name of Loop refers to itself' },
      { where: 'p7', why: 'the name of Loop (TableName) cannot be resolved' },
    ]);
  });

  test('an app without account or region gets placeholders', () => {
    const resolver = new TemplateResolver(stack(TEMPLATE, {} as any));
    expect(resolver.resolve({ 'Fn::Sub': '${AWS::AccountId}/${AWS::Region}' }, 'x')).toBe('000000000000/us-east-1');
  });
});

test('execute-api URLs of served APIs become loopback URLs that keep the stage; others stay', () => {
  const ports = new Map([['abc123defg', 3001]]);
  expect(rewriteExecuteApiUrls('https://abc123defg.execute-api.eu-west-1.amazonaws.com/prod', ports)).toBe('http://127.0.0.1:3001/prod');
  expect(rewriteExecuteApiUrls('wss://abc123defg.execute-api.eu-west-1.amazonaws.com/chat', ports)).toBe('ws://127.0.0.1:3001/chat');
  expect(rewriteExecuteApiUrls('https://zzzzzzzzzz.execute-api.eu-west-1.amazonaws.com/prod', ports)).toBe('https://zzzzzzzzzz.execute-api.eu-west-1.amazonaws.com/prod');
});

describe('Lambda versions, aliases and layers', () => {
  const r = new TemplateResolver(stack({
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'orders' } },
      First: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
      Second: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
      Live: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, FunctionVersion: { 'Fn::GetAtt': ['Second', 'Version'] }, Name: 'live' } },
      ByArn: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] }, FunctionVersion: '$LATEST', Name: 'edge' } },
      Layer: { Type: 'AWS::Lambda::LayerVersion', Properties: { LayerName: 'shared' } },
    },
  }));
  const fnArn = 'arn:aws:lambda:eu-west-1:111111111111:function:orders';

  test('versions are numbered in template order per function (named by Ref or by ARN); Ref is the qualified ARN', () => {
    expect(r.resolve([{ Ref: 'First' }, { Ref: 'Second' }], 'x')).toEqual([`${fnArn}:1`, `${fnArn}:2`]);
    expect(r.resolve([{ 'Fn::GetAtt': ['First', 'Version'] }, { 'Fn::GetAtt': ['Second', 'FunctionArn'] }], 'x')).toEqual(['1', `${fnArn}:2`]);
  });

  test('an alias is its function\'s ARN qualified with its name, whether FunctionName is a name or an ARN', () => {
    expect(r.resolve([{ Ref: 'Live' }, { 'Fn::GetAtt': ['ByArn', 'AliasArn'] }], 'x')).toEqual([`${fnArn}:live`, `${fnArn}:edge`]);
    expect(r.unresolved).toEqual([]);
  });

  test('a layer\'s Ref is its version ARN, at version 1', () => {
    expect(r.resolve({ Ref: 'Layer' }, 'x')).toBe('arn:aws:lambda:eu-west-1:111111111111:layer:shared:1');
  });
});

describe('Fn::ImportValue between served stacks', () => {
  const exporter = new TemplateResolver(stack({
    Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
    Resources: { Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: {} } },
    Outputs: {
      ApiId: { Value: { Ref: 'Api' }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}:ApiId' } } },
      Url: { Value: { 'Fn::Sub': 'https://${Api}.execute-api.eu-west-1.amazonaws.com/' }, Export: { Name: 'S:Url' } },
      Hidden: { Value: 'x', Condition: 'Never', Export: { Name: 'S:Hidden' } },
      NotExported: { Value: 'y' },
    },
  }));
  const importer = new TemplateResolver(stack({ Resources: {} }), (name) => exporter.exportedValue(name));

  test('resolves to the value the other stack exports under that name, found by its resolved Export.Name', () => {
    expect(importer.resolve({ 'Fn::ImportValue': 'S:ApiId' }, 'x')).toBe(exporter.resolve({ Ref: 'Api' }, 'y'));
    expect(importer.resolve({ 'Fn::Join': ['', ['id=', { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}:ApiId' } }]] }, 'x')).toMatch(/^id=[a-z0-9]+$/);
  });

  test('an export no served stack makes (none, a false condition, an output without Export) is unresolved, saying so', () => {
    for (const name of ['S:Nope', 'S:Hidden', 'NotExported']) {
      expect(importer.resolve({ 'Fn::ImportValue': name }, `where-${name}`)).toBeUndefined();
      expect(importer.unresolved).toContainEqual({ where: `where-${name}`, why: `Fn::ImportValue ${name}: no stack the runner serves exports it` });
    }
    // Without a lookup, as for a stack served alone, every import is unresolved.
    const alone = new TemplateResolver(stack({ Resources: {} }));
    expect(alone.resolve({ 'Fn::ImportValue': 'S:ApiId' }, 'x')).toBeUndefined();
  });

  test('an imported string passes the importing stack\'s rewriter, as the runner rewrites execute-api URLs', () => {
    const id = exporter.resolve({ Ref: 'Api' }, 'y');
    const rewriting = new TemplateResolver(stack({ Resources: {} }), (name) => exporter.exportedValue(name));
    rewriting.rewriteStrings((value) => rewriteExecuteApiUrls(value, new Map([[id, 4000]])));
    expect(rewriting.resolve({ 'Fn::ImportValue': 'S:Url' }, 'x')).toBe('http://127.0.0.1:4000/');
  });
});

describe('Fn::ImportValue edge cases', () => {
  test('an export whose value cannot be resolved, an import cycle, and an output whose condition fails are each said so', () => {
    const resolvers: TemplateResolver[] = [];
    const lookup = (name: string) => {
      for (const r of resolvers) {
        const value = r.exportedValue(name);
        if (value !== undefined) return value;
      }
      return undefined;
    };
    const a = new TemplateResolver(stack({
      Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: {} } },
      Outputs: {
        Broken: { Value: { 'Fn::GetAtt': ['Bucket', 'Arn'] }, Export: { Name: 'A:Broken' } },
        Loop: { Value: { 'Fn::ImportValue': 'B:Loop' }, Export: { Name: 'A:Loop' } },
        BadCondition: { Value: 'x', Condition: 'Missing', Export: { Name: 'A:Bad' } },
        Good: { Value: 'good', Export: { Name: 'A:Good' } },
      },
    }), lookup);
    const b = new TemplateResolver(stack({ Resources: {}, Outputs: { Loop: { Value: { 'Fn::ImportValue': 'A:Loop' }, Export: { Name: 'B:Loop' } } } }), lookup);
    resolvers.push(a, b);
    const importer = new TemplateResolver(stack({ Resources: {} }), lookup);
    expect(importer.resolve({ 'Fn::ImportValue': 'A:Good' }, 'good')).toBe('good');
    expect(importer.resolve({ 'Fn::ImportValue': 'A:Broken' }, 'broken')).toBeUndefined();
    expect(importer.resolve({ 'Fn::ImportValue': 'A:Loop' }, 'loop')).toBeUndefined();
    expect(importer.resolve({ 'Fn::ImportValue': 'A:Bad' }, 'bad')).toBeUndefined();
    const why = (where: string) => importer.unresolved.find((u) => u.where === where)?.why;
    expect(why('broken')).toMatch(/^Fn::ImportValue A:Broken: stack S exports it, but its value cannot be resolved \(Fn::GetAtt Bucket\.Arn/);
    expect(why('loop')).toMatch(/an import cycle/);
    expect(importer.unresolved.filter((u) => u.where === 'loop')).toHaveLength(1);
    expect(why('bad')).toBe('Fn::ImportValue A:Bad: no stack the runner serves exports it');
    expect(a.unresolved.map((u) => u.where)).toContain('Outputs.BadCondition.Condition');
  });
});
