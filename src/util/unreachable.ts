/**
 * The `default:` of a switch over a closed union: it type-checks only while every member has its case,
 * so adding a message to a protocol fails the build until each handler handles it.
 */
export function unreachable(value: never, what: string): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
