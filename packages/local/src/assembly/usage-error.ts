/**
 * A mistake in what the runner was asked to serve or how (a folder, a flag,
 * a file it reads): the CLI prints the message as one line and exits 2.
 * Thrown where the problem is found, so that the CLI classifies errors by
 * type, never by their text.
 */
export class UsageError extends Error {
  public readonly name = 'UsageError';
}
