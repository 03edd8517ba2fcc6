import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { discover } from '../src/core/discover';
import { parseFile } from '../src/core/parse';
import { emptyConfig } from '../src/core/parse/config';
import { validator } from '../src/core/parse/schemas';
import { planFromPartials } from '../src/core/plan/build';
import { renderMarkdown } from '../src/core/render/markdown';
import type { DescriptorKind } from '../src/core/types';
import { ROOT, SAMPLES } from './helpers';

// Mutation fuzzing: real descriptors (the samples and the shared corpus: compose, Kubernetes,
// Helm values, Dockerfiles, Procfiles, serverless, App Engine, Cloud Foundry, inventories; and the
// platform files of test/fixtures: a Render Blueprint, a fly.toml, a Kamal deploy.yml, a
// railway.json, an App Platform spec, an azure.yaml, an ECS task definition, a Dockerrun.aws.json,
// a Copilot manifest, an apprunner.yaml, a netlify.toml, Platform.sh files, operator-run databases, an app-template release, an OpenShift
// template) cut,
// doubled, flipped and salted with YAML's sharp edges, then parsed and planned. Every input must end
// in a schema-valid plan with finite, non-negative totals and a Markdown rendering, never an
// exception. 10,000 inputs in CI; `npm run fuzz` runs 100,000 (FUZZ_RUNS sets any other number).

const CORPUS = process.env.CORPUS_DIR ?? path.join(ROOT, '..', 'shared', 'corpus');
const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.npm_lifecycle_event === 'fuzz' ? 100_000 : 10_000));

interface Seed {
  kind: DescriptorKind;
  file: string;
  text: string;
}

function seeds(): Seed[] {
  const fixtures = path.join(ROOT, 'test', 'fixtures');
  const roots = [...fs.readdirSync(SAMPLES).map((d) => path.join(SAMPLES, d)), ...fs.readdirSync(fixtures).map((d) => path.join(fixtures, d)), ...(fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).map((d) => path.join(CORPUS, d)) : [])];
  const out: Seed[] = [];
  for (const root of roots) {
    if (!fs.statSync(root).isDirectory()) continue;
    for (const f of discover(root).files) {
      if (f.kind === 'config' || fs.statSync(path.join(root, f.path)).size > 32 * 1024) continue;
      out.push({ kind: f.kind, file: f.path, text: fs.readFileSync(path.join(root, f.path), 'utf8') });
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** YAML's and the parsers' sharp edges, inserted at random places. */
const TOKENS = ['&a ', '*a', '<<: *a', '<<: [*a, *b]', '{', '}', '[', ']', '---\n', '...\n', '\t', '? ', ': ', '- - ', '|\n', '>-\n', '!Ref ', '!!binary ', '"', "'", '\\', '%YAML 1.1\n', '\uFEFF', '\r\n', '\u0000', '1e308', '-1', 'NaN', '.inf', '0x7fffffff', '99999999999999999999', '${VAR:-x}', '$$', '${', '${{X}}', 'FROM ', 'RUN ', '\\\n', 'ARG X=${X}', 'web: ', 'replicas: ', 'cpu: ', 'memory: ', 'image: ', 'depends_on: [', 'extends: ', 'environment:\n  - A=', '\u202e', '🙂', '[[vm]]\n', '[http_service]\n', ' = ', '"""', 'plan: ', 'servers:\n  - ', '<%= x %>', '<% if x %>\n'];

type Mutation =
  | { op: 'token'; at: number; token: string }
  | { op: 'flip'; at: number; char: number }
  | { op: 'cut'; at: number; length: number }
  | { op: 'repeat'; at: number; length: number; times: number }
  | { op: 'swap'; a: number; b: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('token' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), char: fc.integer({ min: 0, max: 0x2fff }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }), times: fc.integer({ min: 2, max: 20 }) }),
  fc.record({ op: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
);

function mutate(text: string, ms: Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const n = Math.max(1, t.length);
    if (m.op === 'token') {
      const i = m.at % (t.length + 1);
      t = t.slice(0, i) + m.token + t.slice(i);
    } else if (m.op === 'flip') {
      const i = m.at % n;
      t = t.slice(0, i) + String.fromCharCode(m.char) + t.slice(i + 1);
    } else if (m.op === 'cut') {
      const i = m.at % n;
      t = t.slice(0, i) + t.slice(i + m.length);
    } else if (m.op === 'repeat') {
      const i = m.at % n;
      t = t.slice(0, i) + t.slice(i, i + m.length).repeat(m.times) + t.slice(i);
    } else {
      const lines = t.split('\n');
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      t = lines.join('\n');
    }
  }
  return t;
}

describe('fuzz: mutated real descriptors', function () {
  this.timeout(0);
  it(`${RUNS.toLocaleString('en-US')} mutants each end in a schema-valid plan with finite, non-negative totals`, async () => {
    const all = seeds();
    assert.ok(all.length >= 40, `only ${all.length} seed files`);
    const kinds = new Set(all.map((s) => s.kind));
    for (const k of ['compose', 'kubernetes', 'dockerfile', 'procfile', 'serverless', 'appengine', 'cloudfoundry', 'inventory', 'render', 'fly', 'kamal', 'railway', 'digitalocean', 'azd', 'ecs', 'copilot'] as DescriptorKind[]) assert.ok(kinds.has(k), `no ${k} seed`);
    const validate = validator('plan');
    const times: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: all.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), async (si, ms) => {
        const seed = all[si];
        const text = mutate(seed.text, ms);
        const t0 = process.hrtime.bigint();
        const parsed = parseFile(seed.kind, text, seed.file, { readFile: () => undefined });
        const plan = await planFromPartials('.', parsed.workloads, parsed.aux ?? [], parsed.crdDirs ?? [], [...parsed.diagnostics], emptyConfig(), {});
        renderMarkdown(plan);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (!validate(plan)) {
          const where = validate.errors?.[0]?.instancePath.split('/').slice(1, 3) ?? [];
          const bad = where.length === 2 ? (plan as unknown as Record<string, unknown[]>)[where[0]]?.[Number(where[1])] : undefined;
          throw new Error(`plan of a mutant of ${seed.kind} ${seed.file} not schema-valid: ${JSON.stringify(validate.errors?.slice(0, 2))} at ${JSON.stringify(bad)?.slice(0, 400)}`);
        }
        for (const p of ['aws', 'gcp'] as const) {
          const total = plan.totals[p].monthlyUsd;
          if (!Number.isFinite(total) || total < 0) throw new Error(`${p} total ${total}`);
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261203), endOnFailure: true },
    );
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    const worst = times[times.length - 1];
    // No mutant may take super-linearly long: the slowest stays within a ratio of the typical one.
    assert.ok(worst <= Math.max(2000 * median, 2000), `slowest mutant ${worst.toFixed(0)} ms, median ${median.toFixed(2)} ms`);
  });
});
