/**
 * Waits until `condition` holds, checking every 10 ms; after `deadlineMs`
 * fails naming `what`. For something that must happen, instead of a fixed sleep.
 */
export async function waitFor(condition: () => boolean, what: string, deadlineMs = 5_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`waited ${deadlineMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
