// BooksApiStack as the sample app deploys it, plus a create-then-read check
// through the deployed API: POST /books, then GET /books/{id} of the new book.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { BooksApiStack } from '../src';

const app = new App();
const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';
// A test deployment cleans up after itself: no retained table, no deletion protection.
const stack = new BooksApiStack(app, 'IntegBooksApi', { env: { region }, books: { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false } });
const url = stack.books.stage!.stage.url;

const assertionStack = new Stack(app, 'IntegBooksApiAssertions', { env: { region } });
const integ = new IntegTest(app, 'BooksApi', { testCases: [stack], regions: [region], assertionStack, diffAssets: true });

const create = integ.assertions.httpApiCall(`${url}books`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ title: 'Dune', author: 'Frank Herbert', year: 1965 }),
});
// No expect() on the create call: reading `body.id` from it below makes the
// provider flatten its response, and an expect() on a flattened call compares
// against an undefined apiCallResponse and always fails (aws/aws-cdk#30477).
// The read asserts the create instead: the id it returned names a stored book
// with what was sent, at version 1.
const read = integ.assertions.httpApiCall(`${url}books/${create.getAttString('body.id')}`);
read.expect(ExpectedResult.objectLike({ status: 200, body: { title: 'Dune', author: 'Frank Herbert', year: 1965, version: 1 } }));
create.next(read);
