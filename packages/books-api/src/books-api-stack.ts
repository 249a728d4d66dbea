import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BooksApi, BooksApiProps } from './books-api';

/**
 * Properties of BooksApiStack.
 */
export interface BooksApiStackProps extends StackProps {
  /**
   * Properties of the BooksApi the stack deploys.
   * @default - BooksApi defaults
   */
  readonly books?: BooksApiProps;
}

/**
 * A stack with one BooksApi; outputs `ApiUrl` (unless `books.existingApi`
 * is given: the stage is then yours) and `TableName`, by those exact logical ids.
 */
export class BooksApiStack extends Stack {
  /** The books API. */
  public readonly books: BooksApi;

  constructor(scope: Construct, id: string, props: BooksApiStackProps = {}) {
    super(scope, id, props);
    this.books = new BooksApi(this, 'Books', props.books);
    // Fixed ids, documented: deploy scripts read the outputs by these names.
    this.books.stage?.urlOutput?.overrideLogicalId('ApiUrl');
    new CfnOutput(this, 'TableName', { value: this.books.table.tableName, description: 'The books table' });
  }
}
