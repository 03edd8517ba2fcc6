import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { assess } from '../src/core/plan/assess';
import { renderMarkdown } from '../src/core/render/markdown';
import { validator } from '../src/core/parse/schemas';
import { runCli, EXIT } from '../src/cli/cli';
import type { Plan } from '../src/core/plan';
import { repo, SAMPLES, workload } from './helpers';

// Tests never touch the user's cache folder.
const TEST_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-parse-cache-'));

function io(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd, env: { MIGRATION_PLANNER_PARSE_CACHE_DIR: TEST_CACHE, ...env } }, out, err };
}

const samples = fs.readdirSync(SAMPLES).filter((d) => fs.statSync(path.join(SAMPLES, d)).isDirectory()).sort();

describe('the JSON plan', () => {
  for (const s of samples) {
    it(`validates against schemas/plan.schema.json (${s})`, async () => {
      const plan = await assess(path.join(SAMPLES, s));
      const v = validator('plan');
      const ok = v(JSON.parse(JSON.stringify(plan)));
      assert.ok(ok, JSON.stringify(v.errors?.slice(0, 3), null, 1));
      assert.ok(plan.workloads.length > 0);
      for (const w of plan.workloads) for (const src of w.sources) assert.ok(!src.file.includes('\\') && !path.isAbsolute(src.file), src.file);
    });
  }
  it('has waves ordered by dependencies', async () => {
    const plan = await assess(repo({ 'docker-compose.yml': 'services:\n  web:\n    image: acme/web:1\n    ports: ["80:80"]\n    environment: { API: "http://api:8080" }\n  api:\n    image: acme/api:1\n    ports: ["8080:8080"]\n    depends_on: [db]\n  db:\n    image: postgres:16\n' }));
    assert.deepEqual(plan.waves, [{ wave: 1, workloads: ['db'] }, { wave: 2, workloads: ['api'] }, { wave: 3, workloads: ['web'] }]);
    assert.deepEqual(workload(plan, 'web').dependsOn, ['api'], 'env references count as dependencies');
  });
  it('reports a dependency cycle and still places every workload', async () => {
    const plan = await assess(repo({ 'docker-compose.yml': 'services:\n  a:\n    image: acme/a:1\n    depends_on: [b]\n  b:\n    image: acme/b:1\n    depends_on: [a]\n' }));
    assert.ok(plan.diagnostics.some((d) => d.code === 'dependency-cycle'));
    assert.ok(plan.workloads.every((w) => typeof w.wave === 'number'));
  });
  it('merges a compose service, its Dockerfile and a Kubernetes Deployment of the same name', async () => {
    const plan = await assess(repo({
      'docker-compose.yml': 'services:\n  api:\n    build: ./api\n    ports: ["8080:8080"]\n',
      'api/Dockerfile': 'FROM node:20\nEXPOSE 8080\nHEALTHCHECK CMD true\n',
      'k8s/api.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec: { replicas: 3, template: { spec: { containers: [{ name: api, image: acme/api:1, resources: { requests: { cpu: 500m, memory: 512Mi } } }] } } }\n',
    }));
    assert.equal(plan.workloads.length, 1);
    const w = plan.workloads[0];
    assert.deepEqual(w.descriptors, ['compose', 'dockerfile', 'kubernetes']);
    assert.deepEqual(w.sources.map((s) => s.file), ['api/Dockerfile', 'docker-compose.yml', 'k8s/api.yaml']);
    assert.equal(w.targets.aws?.sizing.count, 3, 'replicas come from the Kubernetes manifest');
  });
});

describe('the Markdown plan', () => {
  it('is byte-for-byte the same for the same input, whatever the order files are found in', async () => {
    const files = { 'b/docker-compose.yml': 'services:\n  b1:\n    image: redis:7\n', 'a/docker-compose.yml': 'services:\n  a1:\n    image: acme/a:1\n    ports: ["80:80"]\n    depends_on: [b1]\n' };
    const one = renderMarkdown(await assess(repo(files)));
    const two = renderMarkdown(await assess(repo(Object.fromEntries(Object.entries(files).reverse()))));
    assert.equal(one.replace(/cmp-test-\w+/g, ''), two.replace(/cmp-test-\w+/g, ''));
    assert.ok(!/\d{4}-\d{2}-\d{2}T\d{2}:/.test(one), 'no timestamps');
  });
  it('links evidence to file#Lline and says what is not priced', async () => {
    const md = renderMarkdown(await assess(repo({ 'docker-compose.yml': 'services:\n  s:\n    image: memcached:1.6\n' })));
    assert.match(md, /\[docker-compose\.yml:3\]\(docker-compose\.yml#L3\)/);
    assert.match(md, /\| GCP \| Memorystore for Memcached capacity \| .* \| not priced \| not priced: no published price in the bundled data \|/);
    assert.match(md, /lower bound/);
    assert.match(md, /## Assumptions/);
    assert.match(md, /## Price sources/);
  });
  it('marks a weak price where it is used, and says why under Price sources', async () => {
    const md = renderMarkdown(await assess(repo({ 'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n' })));
    assert.match(md, /\| AWS \| RDS db\.t3\.medium postgresql Single-AZ \| 730 instance-hour \| \$0\.072 \/ instance-hour ⚠ weak \|/);
    assert.match(md, /\| `rds\/db\.t3\.medium\/postgresql\/single-az` \| vantage-sh\/ec2instances\.info .* \| 2021-08-03 \| weak \|/);
    assert.match(md, /1 price is \*\*weak\*\*/);
  });
});

describe('sizing basis', () => {
  it('says so when a descriptor scales a workload to zero, and prices the one replica it runs when up', async () => {
    const plan = await assess(repo({ 'k8s/report.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: report\nspec:\n  replicas: 0\n  template:\n    spec:\n      containers:\n        - name: report\n          image: acme/report:3\n' }));
    const basis = workload(plan, 'report').targets.aws?.sizing?.basis ?? [];
    assert.ok(basis.includes('1 replica (k8s/report.yaml:6 sets 0: priced as the 1 replica it runs when up)'), basis.join('; '));
  });
});

describe('cheaper overall', () => {
  it('compares the workloads priced in full on both clouds when some line is not priced, and says on how many', async () => {
    const plan = await assess(repo({ 'docker-compose.yml': 'services:\n  web:\n    image: acme/web:1\n    ports: ["80:80"]\n  db:\n    image: postgres:16\n  search:\n    image: opensearchproject/opensearch:2\n' }));
    assert.equal(plan.totals.cheaper, null, 'the whole plan has unpriced lines');
    const k = plan.totals.comparable;
    assert.equal(k.of, 3);
    assert.equal(k.workloads, 2);
    const both = plan.workloads.filter((w) => w.cost.aws.complete && w.cost.gcp.complete);
    assert.equal(k.aws, Math.round(both.reduce((s, w) => s + w.cost.aws.monthlyUsd, 0) * 100) / 100);
    assert.ok(k.cheaper === 'aws' || k.cheaper === 'gcp');
    assert.match(renderMarkdown(plan), /\| Cheaper overall \| \*\*(AWS|GCP)\*\*, by \$[\d,.]+ a month \([\d.]+%\) on the 2 of 3 workloads priced in full on both clouds/);
  });
});

describe('CLI', () => {
  it('prints help and the version', async () => {
    const h = io(process.cwd());
    assert.equal(await runCli(['--help'], h.io), EXIT.ok);
    assert.match(h.out.join(''), /Usage: migration-planner assess/);
    assert.match(h.out.join(''), /Exit codes/);
  });
  it('rejects wrong usage with exit 2 and a message', async () => {
    for (const args of [['frobnicate'], ['assess', '/definitely/not/here'], ['assess', '.', '--format', 'xml'], ['assess', '.', '--aws-region', 'mars'], ['assess', '.', '--nope']]) {
      const h = io(process.cwd());
      assert.equal(await runCli(args, h.io), EXIT.usage, args.join(' '));
      assert.ok(h.err.join('').length > 0);
    }
  });
  it('writes md and json, and --check passes on a fresh plan and fails on a stale one', async () => {
    const dir = repo({ 'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n' });
    const h = io(dir);
    assert.equal(await runCli(['assess', '.', '--out', 'MIGRATION-PLAN.md', '--quiet'], h.io), EXIT.ok);
    assert.equal(await runCli(['assess', '.', '--check', 'MIGRATION-PLAN.md', '--quiet'], h.io), EXIT.ok);
    fs.appendFileSync(path.join(dir, 'docker-compose.yml'), '  cache:\n    image: redis:7\n');
    const h2 = io(dir);
    assert.equal(await runCli(['assess', '.', '--check', 'MIGRATION-PLAN.md'], h2.io), EXIT.stale);
    assert.match(h2.err.join(''), /is stale/);
    assert.equal(await runCli(['assess', '.', '--check', 'missing.md', '--quiet'], io(dir).io), EXIT.stale);
    const j = io(dir);
    assert.equal(await runCli(['assess', '.', '--format', 'json', '--quiet'], j.io), EXIT.ok);
    const plan = JSON.parse(j.out.join(''));
    assert.equal(plan.workloads.length, 2);
  });
  it('links from a plan written elsewhere point back into the repository', async () => {
    const dir = repo({ 'svc/docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n' });
    await runCli(['assess', 'svc', '--out', 'plan.md', '--quiet'], io(dir).io);
    assert.match(fs.readFileSync(path.join(dir, 'plan.md'), 'utf8'), /\]\(svc\/docker-compose\.yml#L3\)/);
  });
  it('--fail-on error exits 3 when a descriptor is broken', async () => {
    const dir = repo({ 'docker-compose.yml': 'services:\n  a: [\n' });
    assert.equal(await runCli(['assess', '.', '--fail-on', 'error', '--quiet'], io(dir).io), EXIT.failOn);
  });
  it('--check passes on every committed sample plan', async () => {
    for (const s of samples) {
      const h = io(path.join(SAMPLES, s));
      assert.equal(await runCli(['assess', '.', '--check', 'MIGRATION-PLAN.md', '--quiet'], h.io), EXIT.ok, `${s}: ${h.err.join('')}`);
    }
  });
  it('--check and --out together, --out into a missing folder or through a link: usage errors that say why', async () => {
    const dir = repo({ 'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n' });
    const both = io(dir);
    assert.equal(await runCli(['assess', '.', '--check', 'a.md', '--out', 'b.md'], both.io), EXIT.usage);
    assert.match(both.err.join(''), /--check or --out, not both/);
    const missing = io(dir);
    assert.equal(await runCli(['assess', '.', '--out', 'no/such/folder/plan.md'], missing.io), EXIT.usage);
    assert.match(missing.err.join(''), /does not exist; create it first/);
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-outside-')), 'victim.md');
    fs.writeFileSync(outside, 'keep me');
    fs.symlinkSync(outside, path.join(dir, 'MIGRATION-PLAN.md'));
    const link = io(dir);
    assert.equal(await runCli(['assess', '.', '--out', 'MIGRATION-PLAN.md'], link.io), EXIT.usage);
    assert.match(link.err.join(''), /symbolic link/);
    assert.equal(fs.readFileSync(outside, 'utf8'), 'keep me');
  });
  it('--check ignores the line-ending style of the checkout', async () => {
    const dir = repo({ 'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n' });
    assert.equal(await runCli(['assess', '.', '--out', 'MIGRATION-PLAN.md', '--quiet'], io(dir).io), EXIT.ok);
    const file = path.join(dir, 'MIGRATION-PLAN.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    const h = io(dir);
    assert.equal(await runCli(['assess', '.', '--check', 'MIGRATION-PLAN.md', '--quiet'], h.io), EXIT.ok, h.err.join(''));
  });
  it('--verbose lists every YAML file that is not a descriptor, with why', async () => {
    const dir = repo({
      'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n',
      '.github/workflows/ci.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n',
      'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
      'chart/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: {{ .Release.Name }}}\n',
    });
    const h = io(dir);
    assert.equal(await runCli(['assess', '.', '--verbose', '--out', 'p.md'], h.io), EXIT.ok);
    const err = h.err.join('');
    assert.match(err, /not a descriptor: \.github\/workflows\/ci\.yml: YAML with no Kubernetes apiVersion and kind/);
    assert.match(err, /not a descriptor: chart\/templates\/deployment\.yaml: part of the Helm chart in chart/);
    const quiet = io(dir);
    await runCli(['assess', '.', '--out', 'p.md'], quiet.io);
    assert.doesNotMatch(quiet.err.join(''), /not a descriptor/);
  });
  it('--quiet still prints errors', async () => {
    const dir = repo({ 'docker-compose.yml': 'services:\n  a: [\n', 'Dockerfile': 'FROM nginx\n' });
    const h = io(dir);
    assert.equal(await runCli(['assess', '.', '--quiet', '--out', 'p.md'], h.io), EXIT.ok);
    assert.match(h.err.join(''), /docker-compose\.yml:\d+:\d+: error:/);
    assert.doesNotMatch(h.err.join(''), /wrote p\.md/);
  });
  it('live pricing that cannot start is a warning: the snapshot prices the plan and the run succeeds', async () => {
    const dir = repo({ 'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n' });
    const h = io(dir);
    const code = await runCli(['assess', '.', '--pricing', 'live', '--format', 'json', '--quiet'], h.io, {
      livePriceSource: async () => {
        throw new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication\n    at GoogleAuth.getApplicationDefaultAsync (stack line)');
      },
    });
    assert.equal(code, EXIT.ok);
    assert.match(h.err.join(''), /warning: live pricing could not start \(Could not load the default credentials/);
    assert.doesNotMatch(h.err.join(''), /at GoogleAuth/);
    assert.equal(JSON.parse(h.out.join('')).pricing.source, 'snapshot');
  });
  it('writes the JSON plan in pieces: top-level keys indented, one line per workload, the same data as the plan', async () => {
    const dir = path.join(SAMPLES, samples[0]);
    const h = io(dir);
    assert.equal(await runCli(['assess', '.', '--format', 'json', '--quiet'], h.io), EXIT.ok);
    const text = h.out.join('');
    assert.ok(h.out.length > 3, 'more than one piece');
    const parsed = JSON.parse(text) as Plan;
    const plan = await assess(dir);
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(plan)));
    const lines = text.split('\n');
    assert.ok(parsed.workloads.length > 1);
    for (const w of parsed.workloads) {
      const line = lines.find((l) => l.startsWith(`    {"id":${JSON.stringify(w.id)},`));
      assert.ok(line, `workload ${w.id} on a line of its own`);
      assert.deepEqual(JSON.parse(line.replace(/,$/, '')), w);
    }
    assert.ok(lines.includes('  "workloads": ['), 'top-level keys indented by two spaces');
  });
});

/** Remove the kept plans, so that a run goes through the parse cache. */
function dropPlans(env: NodeJS.ProcessEnv): void {
  const dir = env.MIGRATION_PLANNER_PARSE_CACHE_DIR as string;
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.plan')) fs.rmSync(path.join(dir, f));
}

describe('parse cache', () => {
  const cacheEnv = () => ({ MIGRATION_PLANNER_PARSE_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-pc-')) });
  const plan = async (dir: string, env: NodeJS.ProcessEnv, extra: string[] = []) => {
    const h = io(dir, env);
    assert.equal(await runCli(['assess', '.', '--format', 'json', '--quiet', ...extra], h.io), EXIT.ok, h.err.join(''));
    return h.out.join('');
  };
  it('a warm run gives the same plan as a cold one; --no-cache writes nothing', async () => {
    const env = cacheEnv();
    const dir = path.join(SAMPLES, 'ridehailing-heroku');
    const none = await plan(dir, env, ['--no-cache']);
    assert.deepEqual(fs.readdirSync(env.MIGRATION_PLANNER_PARSE_CACHE_DIR), []);
    const cold = await plan(dir, env);
    assert.deepEqual(fs.readdirSync(env.MIGRATION_PLANNER_PARSE_CACHE_DIR).map((f) => path.extname(f)).sort(), ['.json', '.plan']);
    dropPlans(env);
    const warm = await plan(dir, env);
    assert.equal(cold, none);
    assert.equal(warm, cold);
  });
  it('gives back every place a parse cited, on every sample (Helm template lines, .env values, ranges)', async () => {
    for (const name of fs.readdirSync(SAMPLES).filter((n) => fs.statSync(path.join(SAMPLES, n)).isDirectory())) {
      const env = cacheEnv();
      const dir = path.join(SAMPLES, name);
      const cold = await plan(dir, env);
      dropPlans(env); // the parse cache alone
      const packs = fs.readdirSync(env.MIGRATION_PLANNER_PARSE_CACHE_DIR);
      assert.equal(packs.length, 1, name);
      const pack = JSON.parse(fs.readFileSync(path.join(env.MIGRATION_PLANNER_PARSE_CACHE_DIR, packs[0]), 'utf8'));
      const entries = Object.values(pack.entries) as Array<{ v: { workloads: Array<{ source: unknown }> } }>;
      // A place in the descriptor itself is one number in the pack.
      if (entries.some((e) => e.v.workloads.length > 0)) assert.ok(entries.some((e) => e.v.workloads.some((w) => typeof w.source === 'number')), name);
      assert.equal(await plan(dir, env), cold, name);
    }
  });
  it("a repository's pack replaces the packs older engine builds wrote for it, and leaves other repositories' packs", async () => {
    const env = cacheEnv();
    const dir = repo({ 'docker-compose.yml': 'services:\n  web:\n    image: acme/web:1\n    ports: ["80:80"]\n' });
    await plan(dir, env);
    const cacheDir = env.MIGRATION_PLANNER_PARSE_CACHE_DIR as string;
    dropPlans(env);
    const [pack] = fs.readdirSync(cacheDir);
    assert.match(pack, /^[0-9a-f]{16}-[0-9a-f]{16}\.json$/);
    const repoPart = pack.slice(0, 17);
    fs.writeFileSync(path.join(cacheDir, `${repoPart}0000000000000000.json`), '{}'); // an older build's
    fs.writeFileSync(path.join(cacheDir, 'ffffffffffffffff-0000000000000000.json'), '{}'); // another repository's
    fs.writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  web:\n    image: acme/web:2\n    ports: ["80:80"]\n');
    await plan(dir, env);
    dropPlans(env);
    assert.deepEqual(fs.readdirSync(cacheDir).sort(), [pack, 'ffffffffffffffff-0000000000000000.json'].sort());
  });
  it('reparses a descriptor when a file its parse read changed (a compose file and its .env)', async () => {
    const env = cacheEnv();
    const dir = repo({ 'docker-compose.yml': 'services:\n  web:\n    image: acme/web:1\n    ports: ["80:80"]\n    deploy:\n      replicas: ${REPLICAS}\n', '.env': 'REPLICAS=2\n' });
    const tasks = (text: string) => (JSON.parse(text) as Plan).workloads[0].targets.aws?.sizing.summary;
    assert.match(tasks(await plan(dir, env)) ?? '', /^2 tasks/);
    fs.writeFileSync(path.join(dir, '.env'), 'REPLICAS=3\n');
    assert.match(tasks(await plan(dir, env)) ?? '', /^3 tasks/);
  });
  it('ignores a corrupt or foreign cache, never trusts it', async () => {
    const env = cacheEnv();
    const dir = repo({ 'docker-compose.yml': 'services:\n  web:\n    image: acme/web:1\n    ports: ["80:80"]\n' });
    const cold = await plan(dir, env);
    dropPlans(env); // and after each run below: the pack is what is tried here
    const [pack] = fs.readdirSync(env.MIGRATION_PLANNER_PARSE_CACHE_DIR);
    const file = path.join(env.MIGRATION_PLANNER_PARSE_CACHE_DIR, pack);
    const good = JSON.parse(fs.readFileSync(file, 'utf8'));
    // Not JSON, another engine build's, another repository's, entries of the wrong shape: all ignored.
    for (const forged of ['{not json', JSON.stringify({ ...good, engine: 'another-build' }), JSON.stringify({ ...good, root: '/somewhere/else' }), JSON.stringify({ ...good, entries: Object.fromEntries(Object.keys(good.entries).map((k) => [k, { r: 'x', v: null }])) })]) {
      fs.writeFileSync(file, forged);
      if (!forged.startsWith('{not')) {
        const parsed = JSON.parse(forged);
        for (const e of Object.values(parsed.entries) as Array<{ v: { workloads: Array<{ name: string }> } | null }>) if (e.v) e.v.workloads.forEach((w) => (w.name = 'forged'));
        fs.writeFileSync(file, JSON.stringify(parsed));
      }
      const again = await plan(dir, env);
      dropPlans(env);
      assert.equal(again, cold, forged.slice(0, 40));
    }
    // A place that is neither a number nor a place (a string where a trait's source should be).
    const wrongPlace = JSON.parse(JSON.stringify(good));
    for (const e of Object.values(wrongPlace.entries) as Array<{ v: { workloads: Array<{ name: string; traits: Array<{ source: unknown }> }> } }>) {
      for (const w of e.v.workloads) {
        w.name = 'forged';
        for (const t of w.traits) t.source = 'line 1';
      }
    }
    fs.writeFileSync(file, JSON.stringify(wrongPlace));
    assert.equal(await plan(dir, env), cold, 'a place of the wrong shape');
  });
});

describe('plan cache', () => {
  const cacheEnv = () => ({ MIGRATION_PLANNER_PARSE_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-plc-')) });
  const run = async (dir: string, env: NodeJS.ProcessEnv, extra: string[] = []) => {
    const h = io(dir, { ...env, MIGRATION_PLANNER_TIMINGS: '1' });
    assert.equal(await runCli(['assess', '.', '--quiet', ...extra], h.io), EXIT.ok, h.err.join(''));
    return { text: h.out.join(''), reused: /the last plan is reused/.test(h.err.join('')) };
  };
  const planFile = (env: NodeJS.ProcessEnv) => {
    const dir = env.MIGRATION_PLANNER_PARSE_CACHE_DIR as string;
    return path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.plan')) as string);
  };
  const compose = (image: string) => `services:\n  web:\n    image: ${image}\n    ports: ["80:80"]\n    deploy:\n      replicas: \${REPLICAS:-1}\n    env_file: [app.env]\n`;

  it('reuses the last plan when nothing changed, byte for byte, in JSON and Markdown, on every sample', async () => {
    for (const name of samples) {
      const env = cacheEnv();
      const dir = path.join(SAMPLES, name);
      for (const format of ['json', 'md']) {
        const none = await run(dir, env, ['--format', format, '--no-cache']);
        const first = await run(dir, env, ['--format', format]);
        const again = await run(dir, env, ['--format', format]);
        assert.equal(first.text, none.text, `${name} ${format}`);
        assert.equal(again.text, none.text, `${name} ${format}`);
        assert.ok(again.reused, `${name} ${format}: reused`);
      }
    }
  });
  it('plans again when a descriptor, a file a parse read, the configuration, the descriptors found or an option changed', async () => {
    const env = cacheEnv();
    const dir = repo({ 'docker-compose.yml': compose('acme/web:1'), 'app.env': 'A=1\n' });
    const summary = (text: string) => (JSON.parse(text) as Plan).workloads.map((w) => `${w.name} ${w.image} ${w.targets.aws?.sizing.summary}`).join('; ');
    const step = async (what: string, change: () => void, expect: RegExp, extra: string[] = []) => {
      change();
      const r = await run(dir, env, ['--format', 'json', ...extra]);
      assert.ok(!r.reused, `${what}: not reused`);
      assert.match(summary(r.text), expect, what);
      assert.ok((await run(dir, env, ['--format', 'json', ...extra])).reused, `${what}: reused on the next run`);
    };
    await step('first run', () => {}, /^web acme\/web:1 1 task/);
    await step('descriptor', () => fs.writeFileSync(path.join(dir, 'docker-compose.yml'), compose('acme/web:2')), /acme\/web:2/);
    await step('.env read by the compose parse', () => fs.writeFileSync(path.join(dir, '.env'), 'REPLICAS=3\n'), /^web acme\/web:2 3 tasks/);
    await step('env_file read by the compose parse', () => fs.writeFileSync(path.join(dir, 'app.env'), 'A=2\nB=3\n'), /3 tasks/);
    await step('.migration.yaml', () => fs.writeFileSync(path.join(dir, '.migration.yaml'), 'sizing:\n  headroom: 0.5\n'), /3 tasks/);
    await step('a descriptor added', () => fs.writeFileSync(path.join(dir, 'k8s.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: acme/api:1\n'), /^api acme\/api:1/);
    await step('a region', () => {}, /3 tasks/, ['--aws-region', 'eu-west-1']);
    const last = (JSON.parse((await run(dir, env, ['--format', 'json'])).text) as Plan).regions.aws;
    assert.equal(last, 'us-east-1', 'back to the default region: that plan again, not the eu-west-1 one');
  });
  it('ignores a plan file that is corrupt, cut short, another build\'s or another repository\'s', async () => {
    const env = cacheEnv();
    const dir = repo({ 'docker-compose.yml': compose('acme/web:1'), 'app.env': 'A=1\n' });
    const fresh = (await run(dir, env, ['--format', 'json'])).text;
    const file = planFile(env);
    const good = fs.readFileSync(file);
    const forged = JSON.parse(JSON.stringify(JSON.parse(fresh)));
    forged.workloads[0].name = 'forged';
    const meta = JSON.parse(good.subarray(0, 512).toString('utf8'));
    const headEnd = 512 + meta.headBytes;
    const withMeta = (m: object, body: Buffer) => Buffer.concat([Buffer.from(`${JSON.stringify(m).padEnd(511)}\n`), good.subarray(512, headEnd), body]);
    const forgedBody = Buffer.from(JSON.stringify(forged));
    const variants: Array<[string, Buffer]> = [
      ['not JSON', Buffer.from('{not json')],
      ['cut short', good.subarray(0, good.length - 10)],
      ['another engine build', withMeta({ ...meta, engine: 'another-build' }, good.subarray(headEnd))],
      ['another key', withMeta({ ...meta, key: 'x', bodyBytes: forgedBody.length }, forgedBody)],
      ['another repository', Buffer.concat([good.subarray(0, 512), Buffer.from(good.subarray(512, headEnd).toString('utf8').replace(/"root":"[^"]*"/, (m) => `${m.slice(0, -1)}x"`)), good.subarray(headEnd)])],
      ['not a plan', withMeta({ ...meta, bodyBytes: 2 }, Buffer.from('[]'))],
      ['sizes past the end of the file', withMeta({ ...meta, headBytes: 2 ** 40 }, good.subarray(headEnd))],
    ];
    for (const [what, bytes] of variants) {
      fs.writeFileSync(file, bytes);
      const r = await run(dir, env, ['--format', 'json']);
      assert.equal(r.text, fresh, what);
      assert.ok(!r.reused, what);
    }
  });
  it('--verbose still says which files are not descriptors when the plan is unchanged', async () => {
    const env = cacheEnv();
    const dir = repo({ 'docker-compose.yml': compose('acme/web:1'), 'app.env': 'A=1\n', 'settings/logging.yaml': 'logging:\n  level: info\n' });
    await run(dir, env, ['--format', 'json']);
    assert.ok((await run(dir, env, ['--format', 'json'])).reused);
    const h = io(dir, env);
    assert.equal(await runCli(['assess', '.', '--format', 'json', '--verbose'], h.io), EXIT.ok, h.err.join(''));
    assert.match(h.err.join(''), /not a descriptor: settings\/logging\.yaml/);
  });
  it('keeps no plan for another price source, an overlay or a given snapshot', async () => {
    const { bundledSnapshot } = await import('../src/core/price/snapshot');
    const { SnapshotPriceSource } = await import('../src/core/price');
    const dir = repo({ 'docker-compose.yml': compose('acme/web:1'), 'app.env': 'A=1\n' });
    const plans = async (opts: Parameters<typeof assess>[1]) => {
      const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-plc-'));
      const p = await assess(dir, { ...opts, parseCache: cache });
      return { image: p.workloads[0].image, kept: fs.readdirSync(cache).filter((f) => f.endsWith('.plan')).length };
    };
    assert.deepEqual(await plans({}), { image: 'acme/web:1', kept: 1 });
    assert.deepEqual(await plans({ overlay: new Map([['docker-compose.yml', compose('acme/web:3')]]) }), { image: 'acme/web:3', kept: 0 });
    assert.deepEqual(await plans({ snapshot: bundledSnapshot() }), { image: 'acme/web:1', kept: 0 });
    assert.deepEqual(await plans({ priceSource: new SnapshotPriceSource(bundledSnapshot()) }), { image: 'acme/web:1', kept: 0 });
  });
});

describe('compile cache', () => {
  const BIN = path.join(__dirname, '..', '..', 'bin', 'migration-planner.js');
  const cli = (env: NodeJS.ProcessEnv) => {
    const r = spawnSync(process.execPath, [BIN, 'assess', path.join(SAMPLES, 'ridehailing-heroku'), '--format', 'json', '--quiet', '--no-cache'], { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  it('keeps the compiled CLI under the cache folder, replaces a cache V8 rejects, and changes no output', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-code-'));
    const off = cli({ MIGRATION_PLANNER_CACHE_DIR: cacheDir, MIGRATION_PLANNER_COMPILE_CACHE: '0' });
    assert.ok(!fs.existsSync(path.join(cacheDir, 'code')), 'MIGRATION_PLANNER_COMPILE_CACHE=0 writes nothing');
    const first = cli({ MIGRATION_PLANNER_CACHE_DIR: cacheDir });
    const [bin] = fs.readdirSync(path.join(cacheDir, 'code'));
    assert.match(bin, /^cli-[0-9a-f]{24}\.bin$/);
    const file = path.join(cacheDir, 'code', bin);
    const written = fs.readFileSync(file);
    assert.ok(written.length > 100_000, `${written.length} bytes: the functions the run compiled, not only the top level`);
    assert.equal(cli({ MIGRATION_PLANNER_CACHE_DIR: cacheDir }), first);
    // V8 accepted the cache (the flags the CLI sets are the same when it is written and read): not written again.
    assert.ok(fs.readFileSync(file).equals(written), 'an accepted cache is left as it is');
    fs.writeFileSync(file, 'not a code cache');
    assert.equal(cli({ MIGRATION_PLANNER_CACHE_DIR: cacheDir }), first);
    assert.ok(fs.readFileSync(file).length > 100_000, 'a rejected cache is written anew');
    assert.equal(first, off);
    assert.equal(cli({ MIGRATION_PLANNER_CACHE_DIR: cacheDir, MIGRATION_PLANNER_V8_TUNING: '0' }), first, "V8's default inlining gives the same plan");
  });
});
