import { parse as parseToml, TomlError } from 'smol-toml';
import { diag, type ParseResult } from './common';
import type { Obj } from './yaml';

/**
 * TOML descriptors (`fly.toml`, `railway.toml`) are read with smol-toml. It gives no positions, so
 * the lines a plan cites come from the table headers and keys as written.
 */

/** The document as plain data, or undefined with a diagnostic at the line smol-toml stopped. */
export function readToml(text: string, file: string, diagnostics: ParseResult['diagnostics']): Obj | undefined {
  try {
    return parseToml(text) as Obj;
  } catch (e) {
    const at = e instanceof TomlError ? { line: e.line, column: e.column } : { line: 1, column: 1 };
    const name = file.slice(file.lastIndexOf('/') + 1);
    diag(diagnostics, { file, ...at }, 'error', 'toml-syntax', `This ${name} is not valid TOML (${(e as Error).message.split('\n')[0]}); it was left out of the plan.`);
    return undefined;
  }
}

/** The line of each table header and key as written: `vm#0.memory` is `memory` in the first `[[vm]]`. */
export function tomlKeyLines(text: string): (section: string, key?: string) => number {
  const lines = new Map<string, number>();
  const counts = new Map<string, number>();
  let section = '';
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const header = /^\[\[\s*([^\]]+?)\s*\]\]|^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (header) {
      const name = (header[1] ?? header[2]).replace(/["']/g, '');
      if (header[1] !== undefined) {
        const n = counts.get(name) ?? 0;
        counts.set(name, n + 1);
        section = `${name}#${n}`;
      } else section = name;
      if (!lines.has(section)) lines.set(section, i + 1);
      return;
    }
    const key = /^([A-Za-z0-9_"'.-]+)\s*=/.exec(line)?.[1]?.replace(/["']/g, '');
    if (key && !lines.has(`${section}.${key}`)) lines.set(`${section}.${key}`, i + 1);
  });
  // A key may name a table of its own (`deploy` is the `[deploy]` header): its header's line then.
  return (s, k) => (k !== undefined ? lines.get(`${s}.${k}`) ?? lines.get(s ? `${s}.${k}` : k) : undefined) ?? lines.get(s) ?? 1;
}
