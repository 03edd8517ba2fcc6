import type { Plan } from '../plan';

/**
 * The JSON plan in pieces, byte for byte what `JSON.stringify(plan, null, 2)` gives, so that a large
 * plan is written as it is made instead of held twice in memory (the object and its text).
 * Arrays at the top level (workloads, diagnostics, ...) are cut item by item.
 */
export function* planJsonChunks(plan: Plan): Generator<string> {
  const record = plan as unknown as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined && typeof record[k] !== 'function');
  yield '{\n';
  for (let i = 0; i < keys.length; i++) {
    const value = record[keys[i]];
    const comma = i < keys.length - 1 ? ',' : '';
    if (!Array.isArray(value) || value.length === 0) {
      yield `  ${JSON.stringify(keys[i])}: ${indented(JSON.stringify(value, null, 2), '  ')}${comma}\n`;
      continue;
    }
    yield `  ${JSON.stringify(keys[i])}: [\n`;
    for (let j = 0; j < value.length; j++) {
      const item = value[j] === undefined || typeof value[j] === 'function' ? null : value[j];
      yield `    ${atDepthTwo(item)}${j < value.length - 1 ? ',' : ''}\n`;
    }
    yield `  ]${comma}\n`;
  }
  yield '}\n';
}

/**
 * An array item as JSON.stringify indents it two levels down: stringified inside a wrapper of that
 * depth and cut out (cheaper than re-indenting the text line by line).
 */
function atDepthTwo(item: unknown): string {
  const text = JSON.stringify({ a: [item] }, null, 2);
  return text.slice(PREFIX.length, text.length - SUFFIX.length);
}
const PREFIX = '{\n  "a": [\n    ';
const SUFFIX = '\n  ]\n}';

/** JSON text never holds a raw newline inside a string: every newline starts a line to indent. */
function indented(json: string, pad: string): string {
  return json.replace(/\n/g, `\n${pad}`);
}
