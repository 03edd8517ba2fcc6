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

/**
 * A pure function of one string, remembered: the model asks the same questions of the same image
 * names in many passes. The memory is bounded (it starts over past `limit` answers), so a
 * repository of a million distinct names costs a million calls, never a million entries.
 */
export function memoized<T>(f: (s: string) => T, limit = 100_000): (s: string) => T {
  let memo = new Map<string, T>();
  return (s: string): T => {
    const hit = memo.get(s);
    if (hit !== undefined || memo.has(s)) return hit as T;
    const v = f(s);
    if (memo.size >= limit) memo = new Map();
    memo.set(s, v);
    return v;
  };
}

/** The items that pass a test, then those that do not, each in their order. */
export function partition<T>(items: readonly T[], test: (x: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const x of items) (test(x) ? yes : no).push(x);
  return [yes, no];
}
