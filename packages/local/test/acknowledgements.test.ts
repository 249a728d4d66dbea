import { App, Stack, Validations } from 'aws-cdk-lib';
import { tempDir } from './temp-dirs';
import { nagAcknowledgements } from '../src/acknowledgements';

test('reads cdk-nag acknowledgements in either prefix form, and only cdk-nag ones', () => {
  // An App without outdir would leave a cdk.out folder in the temp directory.
  const stack = new Stack(new App({ outdir: tempDir() }), 'S');
  Validations.of(stack).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'open on purpose' });
  stack.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { 'Annotation::AwsSolutions-S1': 'log bucket', 'CloudFormation-Validate::W3010': 'cdk' });
  expect(nagAcknowledgements(stack)).toEqual([
    { id: 'AwsSolutions-APIG4', path: 'S', reason: 'open on purpose' },
    { id: 'AwsSolutions-S1', path: 'S', reason: 'log bucket' },
  ]);
});
