import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { fastParseYaml } from '../src/core/yamlfast';
import { at, MAX_ALIAS_COUNT, parseYaml, type PathSeg, type YamlDoc } from '../src/core/yamlutil';
import { ROOT } from './helpers';

// The quicker YAML reader must read every file it accepts exactly as the library does (same data,
// same key order, same positions, no error or warning the library would report), and give up on
// the rest. Checked on the repository's own YAML, on tricky cases, and on thousands of mutants.

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.git' || e.name === '.e2e') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

const TRICKY = [
  'a: 1\nb: two\nc: 3.5\nd: true\ne: null\nf: ~\ng:\nh: "quoted: yes"\ni: \'single\'\n',
  'x-common: &common\n  restart: always\n  environment:\n    A: "1"\nservices:\n  web:\n    <<: *common\n    restart: "no"\n    image: nginx\n',
  'base: &b { cpu: 1, mem: 2 }\nmore: &m { mem: 3, disk: 4 }\nall:\n  <<: [*b, *m]\n  cpu: 9\n',
  'list: &l [a, b]\nuse: *l\nseq:\n  - *l\n  - x\n',
  'a: 1\na: 2\nb: 3\n',
  '1: one\n0x1F: hex\n0o17: oct\n1.50: f\n1e3: e\nnull: n\ntrue: t\n"<<": notmerge\n',
  '__proto__: 1\ntoString: 2\nconstructor: {a: 1}\n',
  'script: |\n  echo hi\n  echo there\nfolded: >\n  one\n  two\nkeep: |+\n  x\n\n',
  'plain: this is\n  a multi-line\n  plain scalar\nnext: 1\n',
  'a:\n  - b: 1\n    c: 2\n  - - x\n    - y\n  -\n    d: 3\n',
  '# comment\napiVersion: v1 # trailing\nkind: Service\n---\napiVersion: apps/v1\nkind: Deployment\n...\n---\n# only a comment\nkind: Job\n',
  'ports: ["80:80", "443:443"]\nenv: {A: 1, B: "two", C: [1, 2]}\nempty: {}\nnone: []\n',
  'anchor: &a\n  k: v\nother: &a\n  k: w\nuse: *a\n',
  'k: &s scalar\nv: *s\n',
  'a: b: c\n',
  'a:\n\tb: 1\n',
  'a: !!str 1\n',
  '? complex\n: value\n',
  'a: [1, 2\nb: 3\n',
  'a: *missing\n',
  'a: {x: 1,\n  y: 2}\n',
  '%YAML 1.2\n---\na: 1\n',
  'a: 1\n b: 2\n',
  '- a\n-b\n- c\n',
  'k: "unterminated\n',
  'a: &x\n  b: *x\n',
  'a: "esc\\u00e9 \\t tab"\nb: \'it\'\'s\'\n',
  'q: - a\n',
  'a:\n- 1\n- 2\nb:\n  - 3\n',
  '---\n---\na: 1\n',
  '',
  '# nothing but a comment\n',
  'key with spaces: 1\n"quoted key": 2\n',
  'a: 1 #c\nb: 2#notacomment\n',
  'x: [a, b, ]\n',
  'x: {a: 1, a: 2}\n',
  'm: &m {a: 1}\nn:\n  <<: *m\n  <<: {b: 2}\n',
  'n:\n  <<: 5\n',
];

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = [':', ': ', '-', '- ', ' ', '  ', '\n', '&a ', '*a', ' *a', '#', ' #c', '"', "'", '{', '}', '[', ']', ',', '<<: *a\n', '!t ', '? ', '|', '>', '---\n', '\t', '&a', '...\n', '%', '@', '`', '\\', 'x: 1\n'];

function mutate(text: string, rnd: () => number): string {
  const lines = text.split('\n');
  const op = Math.floor(rnd() * 5);
  const pos = Math.floor(rnd() * (text.length + 1));
  switch (op) {
    case 0:
      return text.slice(0, pos) + text.slice(pos + 1);
    case 1:
      return text.slice(0, pos) + INSERTS[Math.floor(rnd() * INSERTS.length)] + text.slice(pos);
    case 2: {
      const i = Math.floor(rnd() * lines.length);
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    case 3: {
      const i = Math.floor(rnd() * lines.length);
      lines[i] = rnd() < 0.5 ? ' ' + lines[i] : lines[i].replace(/^ /, '');
      return lines.join('\n');
    }
    default: {
      const i = Math.floor(rnd() * lines.length);
      const j = Math.floor(rnd() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
  }
}

/** Every path to a value in the data, up to a limit (aliases can make the data a graph). */
function paths(v: unknown, prefix: PathSeg[] = [], out: PathSeg[][] = [], depth = 0): PathSeg[][] {
  out.push(prefix);
  if (out.length > 400 || depth > 12 || v === null || typeof v !== 'object') return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out, depth + 1));
  else for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out, depth + 1);
  // A path that does not exist stops at its deepest existing ancestor, in both readers.
  out.push([...prefix, 'no-such-key'], [...prefix, 99]);
  return out;
}

/** Returns whether the quicker reader took the text; throws when it differs from the library. */
function check(text: string, label: string): boolean {
  const lc = new LineCounter();
  const fast = fastParseYaml(text, lc);
  if (!fast) return false;
  const flc = new LineCounter();
  const full = parseAllDocuments(text, { lineCounter: flc, merge: true, uniqueKeys: false, prettyErrors: false });
  const docs = Array.isArray(full) ? full : [];
  const problems = docs.flatMap((d) => [...d.errors, ...d.warnings].map((e) => e.message));
  assert.deepEqual(problems, [], `${label}: the quicker reader took a text the library reports on:\n${text}`);
  assert.equal(fast.length, docs.length, `${label}: number of documents`);
  fast.forEach((f, i) => {
    const js = docs[i].toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    assert.deepEqual(f.js, js, `${label}: document ${i + 1} data\n${text}`);
    assert.equal(JSON.stringify(f.js), JSON.stringify(js), `${label}: document ${i + 1} key order`);
    const a: YamlDoc = { file: 'f.yaml', index: i, fast: f, lc, js: f.js };
    const b: YamlDoc = { file: 'f.yaml', index: i, doc: docs[i] as YamlDoc['doc'], lc: flc, js };
    for (const p of paths(js)) assert.deepEqual(at(a, p), at(b, p), `${label}: document ${i + 1} position of ${JSON.stringify(p)}\n${text}`);
  });
  return true;
}

describe('quicker YAML reader', () => {
  it('reads the repository’s own YAML exactly as the library does, and takes most of it', () => {
    const files = yamlFiles(path.join(ROOT, 'samples')).concat(yamlFiles(path.join(ROOT, 'data')));
    assert.ok(files.length >= 15, `found ${files.length} YAML files`);
    let taken = 0;
    for (const f of files) if (check(fs.readFileSync(f, 'utf8'), path.relative(ROOT, f))) taken++;
    assert.ok(taken / files.length >= 0.8, `the quicker reader took only ${taken} of ${files.length} files`);
  });

  it('reads the benchmark’s generated files', async () => {
    const { generate } = await import(path.join(ROOT, 'scripts', 'bench-gen.mjs'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-yf-'));
    generate(dir, 40);
    const files = yamlFiles(dir);
    for (const f of files) assert.ok(check(fs.readFileSync(f, 'utf8'), f), `gave up on ${f}`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('agrees with the library on tricky cases, or gives up on them', () => {
    let taken = 0;
    TRICKY.forEach((t, i) => (taken += check(t, `case ${i}`) ? 1 : 0));
    // The plain ones are taken: anchors, merge keys, aliases, block scalars, flow collections...
    assert.ok(taken >= 18, `took ${taken} of ${TRICKY.length}`);
    for (const bad of ['a: b: c\n', 'a:\n\tb: 1\n', 'a: !!str 1\n', '? complex\n: value\n', 'a: *missing\n', '%YAML 1.2\n---\na: 1\n', 'a: [1, 2\nb: 3\n']) {
      assert.equal(fastParseYaml(bad, new LineCounter()), undefined, bad);
    }
  });

  it('agrees with the library on thousands of mutants of real files', () => {
    const seeds = [...yamlFiles(path.join(ROOT, 'samples')).map((f) => fs.readFileSync(f, 'utf8')), ...TRICKY.filter((t) => t.length > 0)];
    const rnd = mulberry32(20261122);
    let taken = 0;
    let n = 0;
    for (let round = 0; round < Number(process.env.YAMLFAST_ROUNDS ?? 150); round++) {
      for (const seed of seeds) {
        let text = seed;
        const edits = 1 + Math.floor(rnd() * 3);
        for (let e = 0; e < edits; e++) text = mutate(text, rnd);
        n++;
        if (check(text, `mutant ${n}`)) taken++;
      }
    }
    assert.ok(n >= 2000 && taken > n / 6, `${taken} of ${n} mutants taken`);
  });

  it('leaves errors to the library, with their positions', () => {
    const r = parseYaml('a: 1\nb: [1, 2\nc: 3\n', 'bad.yaml');
    assert.equal(r.docs.length, 0);
    assert.equal(r.diagnostics[0].code, 'yaml-syntax');
    assert.equal(r.diagnostics[0].file, 'bad.yaml');
  });
});
