/**
 * Ends an exhaustive `switch`: the compiler rejects the call unless every case was handled, and
 * at run time (a value from outside the type system, e.g. an old stored event) it throws.
 */
export function assertUnreachable(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
