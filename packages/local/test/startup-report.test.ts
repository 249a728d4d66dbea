import { StartupReport } from '../src/runner/startup-report';

test('each warning once by its key, whatever its text; each not-emulated item once; both in the order found', () => {
  const report = new StartupReport();
  report.warnOnce('private-integration:Link', 'GET /a is a private integration (Link, through a VPC link)');
  report.warnOnce('jwks', 'JWT authorizers check issuer ...');
  // Another route of the same integration: same key, another text.
  report.warnOnce('private-integration:Link', 'GET /b is a private integration (Link, through a VPC link)');
  // A text that contains another warning's text is still its own warning.
  report.warnOnce('private-integration:LinkB', 'GET /c is a private integration (Link, through a VPC link) too');
  report.notEmulated('integration type MOCK', 'GET /m');
  report.notEmulated('integration type MOCK', 'GET /m');
  report.notEmulated('integration type MOCK', 'GET /n');
  expect(report.warnings).toEqual([
    'GET /a is a private integration (Link, through a VPC link)',
    'JWT authorizers check issuer ...',
    'GET /c is a private integration (Link, through a VPC link) too',
  ]);
  expect(report.notEmulatedList).toEqual([{ what: 'integration type MOCK', where: 'GET /m' }, { what: 'integration type MOCK', where: 'GET /n' }]);
});
