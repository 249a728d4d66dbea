// The package a file belongs to, as the synth profile groups time: an npm package
// (`cdk-nag`, `@aws-sdk/client-s3`), an aws-cdk-lib submodule (`aws-cdk-lib/aws-ec2`),
// one of ours (`@apigw-blueprints/books-api`), or `node builtins`.
function packageOf(file) {
  if (!file) return undefined;
  if (file.startsWith('node:') || !file.includes('/')) return 'node builtins';
  const path = file.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const parts = path.slice(inModules + '/node_modules/'.length).split('/');
    const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    const rest = parts.slice(name.split('/').length);
    return name === 'aws-cdk-lib' && rest.length > 1 ? `aws-cdk-lib/${rest[0]}` : name;
  }
  const ours = path.match(/\/(packages|apps)\/([^/]+)\//);
  if (ours) return `@apigw-blueprints/${ours[2]}`;
  return path.includes('/bench/') ? 'the app itself' : undefined;
}

module.exports = { packageOf };
