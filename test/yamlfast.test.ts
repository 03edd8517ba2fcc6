import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { fastParseYaml, type FastDoc } from '../src/core/yamlfast';
import { scanYaml } from '../src/core/yamlscan';
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

// Shapes met in real manifests and compose files: uneven indentation, comments after quoted values,
// dashed arguments, dotted and slashed keys, colons in plain scalars, lines of spaces, empty values.
const REAL_SHAPES = [
  'apiVersion: "apps/v1" # a comment\nmetadata:\n  labels:\n     app: db\nspec:\n  resources:\n    limits:\n      cpu: "500m"\n    requests:\n     cpu: "500m"\n     memory: 1Gi\n',
  'args:\n- --model=$(MODEL_ID)\n- -c\nresources:\n  nvidia.com/gpu: "1"\n  ephemeral-storage: 10Gi\ncommand: ["/bin/sh", "-c", "kill $PID && while ps -p $PID > /dev/null; do sleep 1; done"]\nports:\n  - 15672:15672\n  - "80:80"\n',
  'services:\n  db:\n    image: postgres\n  \n    expose:\n      - 5432\n    healthcheck:\n      test: [ "CMD", "pg_isready" ]\n    depends_on: \n      - backend\nvolumes:\n  db-data:\n\nsecrets:\n  db-password:\n    file: db/password.txt\n',
  'spec:\n  template:\n    spec:\n      volumes:\n      - name: dshm\n        emptyDir:\n            medium: Memory\n      # nodeSelector:\n      #   cloud.google.com/gke-accelerator: nvidia-l4\n  volumeClaimTemplates:\n  - metadata:\n      annotations:\n        volume.beta.kubernetes.io/storage-class: fast\n---\nkind: StorageClass\nparameters:\n  type: pd-ssd\n',
];

const TRICKY = [
  ...REAL_SHAPES,
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
  '---\n--- -\n a: 1\n',
  '--- a: 1\n',
  '--- # c\na: 1\n',
  'a: [data:/var/lib, x:y, "q"]\nb: {k: v:w}\n',
  'a: &x [1, 2]\nb: *x\nc:\n  - &y {k: v}\n  - *y\n',
  'a: &x\n  b: 1\nc:\n  <<: *x\n  b: 2\n  b: 3\n',
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

type Reader = (text: string, lc: LineCounter) => FastDoc[] | undefined;
const READERS: [string, Reader][] = [
  ['line scanner', scanYaml],
  ['syntax-tree reader', fastParseYaml],
];

/** Returns whether the quicker reader took the text; throws when it differs from the library. */
function check(text: string, label: string, reader: Reader = fastParseYaml): boolean {
  const lc = new LineCounter();
  const fast = reader(text, lc);
  if (!fast) return false;
  const flc = new LineCounter();
  const full = parseAllDocuments(text, { lineCounter: flc, merge: true, uniqueKeys: false, prettyErrors: false });
  const docs = Array.isArray(full) ? full : [];
  const problems = docs.flatMap((d) => [...d.errors, ...d.warnings].map((e) => e.message));
  assert.deepEqual(problems, [], `${label}: the quicker reader took a text the library reports on:\n${text}`);
  assert.equal(fast.length, docs.length, `${label}: number of documents`);
  assert.deepEqual(lc.lineStarts, flc.lineStarts, `${label}: line starts`);
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

/** The benchmark's generated YAML, a few files of each shape. */
async function benchFiles(): Promise<string[]> {
  const { generate } = await import(path.join(ROOT, 'scripts', 'bench-gen.mjs'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-yf-'));
  generate(dir, 40);
  const texts = yamlFiles(dir).map((f) => fs.readFileSync(f, 'utf8'));
  fs.rmSync(dir, { recursive: true, force: true });
  return texts;
}

// How much of each kind of input each reader must take (lower bounds, well under what they take),
// so that a reader that quietly stops taking anything fails a test.
const TAKES: Record<string, { repo: number; tricky: number; mutants: number }> = {
  'line scanner': { repo: 0.8, tricky: 10, mutants: 1 / 12 },
  'syntax-tree reader': { repo: 0.8, tricky: 18, mutants: 1 / 6 },
};

describe('quicker YAML readers', () => {
  for (const [name, reader] of READERS) {
    describe(name, () => {
      it('reads the repository’s own YAML exactly as the library does, and takes much of it', () => {
        const files = yamlFiles(path.join(ROOT, 'samples')).concat(yamlFiles(path.join(ROOT, 'data')));
        assert.ok(files.length >= 15, `found ${files.length} YAML files`);
        let taken = 0;
        for (const f of files) if (check(fs.readFileSync(f, 'utf8'), path.relative(ROOT, f), reader)) taken++;
        assert.ok(taken / files.length >= TAKES[name].repo, `took only ${taken} of ${files.length} files`);
      });

      it('reads every one of the benchmark’s generated files', async () => {
        const texts = await benchFiles();
        assert.ok(texts.length >= 4);
        texts.forEach((t, i) => assert.ok(check(t, `generated file ${i}`, reader), `gave up on generated file ${i}`));
      });

      it('takes the shapes of real manifests and compose files', () => {
        REAL_SHAPES.forEach((t, i) => assert.ok(check(t, `shape ${i}`, reader), `gave up on shape ${i}:\n${t}`));
      });

      it('agrees with the library on tricky cases, or gives up on them', () => {
        let taken = 0;
        TRICKY.forEach((t, i) => (taken += check(t, `case ${i}`, reader) ? 1 : 0));
        assert.ok(taken >= TAKES[name].tricky, `took ${taken} of ${TRICKY.length}`);
        for (const bad of ['a: b: c\n', 'a:\n\tb: 1\n', 'a: !!str 1\n', '? complex\n: value\n', 'a: *missing\n', '%YAML 1.2\n---\na: 1\n', 'a: [1, 2\nb: 3\n']) {
          assert.equal(reader(bad, new LineCounter()), undefined, bad);
        }
      });

      it('agrees with the library on thousands of mutants of real and generated files', async () => {
        const seeds = [
          ...yamlFiles(path.join(ROOT, 'samples')).map((f) => fs.readFileSync(f, 'utf8')),
          ...TRICKY.filter((t) => t.length > 0),
          // A few generated documents of each shape (whole generated files are long).
          ...(await benchFiles()).map((t) => t.split('\n---\n').slice(0, 3).join('\n---\n').slice(0, 2500)),
        ];
        const rnd = mulberry32(Number(process.env.YAMLFAST_SEED ?? 20261122));
        let taken = 0;
        let n = 0;
        for (let round = 0; round < Number(process.env.YAMLFAST_ROUNDS ?? 150); round++) {
          for (const seed of seeds) {
            let text = seed;
            const edits = 1 + Math.floor(rnd() * 3);
            for (let e = 0; e < edits; e++) text = mutate(text, rnd);
            n++;
            if (check(text, `mutant ${n}`, reader)) taken++;
          }
        }
        if (process.env.YAMLFAST_ROUNDS) console.log(`      ${name}: took ${taken} of ${n} mutants`);
        assert.ok(n >= 2000 && taken > n * TAKES[name].mutants, `${taken} of ${n} mutants taken`);
      });
    });
  }

  it('leaves errors to the library, with their positions', () => {
    const r = parseYaml('a: 1\nb: [1, 2\nc: 3\n', 'bad.yaml');
    assert.equal(r.docs.length, 0);
    assert.equal(r.diagnostics[0].code, 'yaml-syntax');
    assert.equal(r.diagnostics[0].file, 'bad.yaml');
  });
});
