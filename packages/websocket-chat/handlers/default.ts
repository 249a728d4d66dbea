import { errorFrame, Event, handle, parseFrame, Result } from './lib/frames';

const ACTIONS = ['join', 'sendmessage'];

/** Any frame no route took: malformed, or an unknown action. */
export const handler = (event: Event): Promise<Result> => handle(event, async () => {
  const frame = parseFrame(event);
  return errorFrame(`action: unknown '${frame.action}'; use one of ${ACTIONS.join(', ')}`);
});
