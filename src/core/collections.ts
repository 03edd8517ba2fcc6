/**
 * Append items one at a time. `target.push(...items)` passes every item as an argument, and an
 * array the input controls (130,000 processes in a Procfile, 200,000 ports) overflows the stack.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const x of items) target.push(x);
  return target;
}

/**
 * A lookup table keyed by names that come from repositories: it has no inherited keys, so a
 * process, add-on or kind named `__proto__`, `constructor` or `toString` finds nothing in it.
 */
export function table<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}
