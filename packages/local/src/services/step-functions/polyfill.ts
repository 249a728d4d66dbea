/**
 * aws-local-stepfunctions 3 declares Node >= 22 and calls Promise.withResolvers,
 * which Node 20 lacks. Loaded before the interpreter.
 */
if (!(Promise as any).withResolvers) {
  (Promise as any).withResolvers = () => {
    let resolve!: (value: unknown) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
export {};
