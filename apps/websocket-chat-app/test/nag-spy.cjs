// Preloaded (ts-node -r) by app.test.ts into bin/app.ts: records each
// AwsSolutionsChecks.validateScope call of the app (scope and outcome) in
// NAG_SPY_FILE, so the test proves the app runs the pack on its stack; with
// NAG_SPY_ADD_FINDING it first adds a bucket the pack rejects (no access logs,
// no TLS-only policy), so the test proves a finding stops the synth.
const { appendFileSync } = require('node:fs');
const { AwsSolutionsChecks } = require('cdk-nag');

const validateScope = AwsSolutionsChecks.prototype.validateScope;
AwsSolutionsChecks.prototype.validateScope = function (scope, ...rest) {
  if (process.env.NAG_SPY_ADD_FINDING) {
    const { Bucket } = require('aws-cdk-lib/aws-s3');
    new Bucket(scope, 'BucketWithFindings');
  }
  const report = validateScope.call(this, scope, ...rest);
  appendFileSync(process.env.NAG_SPY_FILE, `${JSON.stringify({ scope: scope.node.path, success: report.success })}\n`);
  return report;
};
