import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validator } from '../src/core/parse/schemas';
import type { Plan } from '../src/core/plan';
import { repo, ROOT } from './helpers';

// Hostile repositories, each assessed by the real CLI in its own process: the run ends (exit 0),
// the plan is schema-valid with finite, non-negative totals, the rest of the plan is intact, the
// bad file gets a diagnostic at file:line, and time and peak memory stay within a ratio of a
// normal run measured here (never a wall-clock limit).

const CLI = path.join(ROOT, 'bin', 'migration-planner.js');
const RSS = path.join(ROOT, 'scripts', 'bench-rss.cjs');
const GOOD = 'services:\n  web:\n    image: acme/web:1\n    ports: ["80:80"]\n';
const TIME_RATIO = 60;
const MEMORY_RATIO = 8;

interface Run {
  code: number | null;
  ms: number;
  rssMb: number;
  plan: Plan;
  markdown: string;
  stderr: string;
}

function run(dir: string, timeoutMs: number): Run {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-hostile-out-')), 'plan.json');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', RSS, CLI, 'assess', dir, '--format', 'json', '--out', out, '--no-cache'], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.notEqual(r.signal, 'SIGTERM', `the run on ${dir} was stopped after ${timeoutMs} ms`);
  const rssMb = Number(/BENCH_MAXRSS_KB (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  const md = spawnSync(process.execPath, [CLI, 'assess', dir, '--no-cache', '--quiet'], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 28 });
  return { code: r.status, ms, rssMb, plan: JSON.parse(fs.readFileSync(out, 'utf8')) as Plan, markdown: md.stdout, stderr: r.stderr };
}

let normal: { ms: number; rssMb: number };

function assertSound(r: Run, label: string): void {
  assert.equal(r.code, 0, `${label}: exit ${r.code}\n${r.stderr.slice(-1500)}`);
  const validate = validator('plan');
  assert.ok(validate(r.plan), `${label}: plan not schema-valid: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  for (const p of ['aws', 'gcp'] as const) {
    const t = r.plan.totals[p].monthlyUsd;
    assert.ok(Number.isFinite(t) && t >= 0, `${label}: ${p} total ${t}`);
    for (const w of r.plan.workloads) assert.ok(Number.isFinite(w.cost[p].monthlyUsd) && w.cost[p].monthlyUsd >= 0, `${label}: ${w.name} ${p} ${w.cost[p].monthlyUsd}`);
  }
  assert.ok(r.ms <= TIME_RATIO * normal.ms, `${label}: ${r.ms.toFixed(0)} ms is more than ${TIME_RATIO}× a normal run (${normal.ms.toFixed(0)} ms)`);
  assert.ok(r.rssMb <= MEMORY_RATIO * normal.rssMb, `${label}: peak ${r.rssMb.toFixed(0)} MB is more than ${MEMORY_RATIO}× a normal run (${normal.rssMb.toFixed(0)} MB)`);
}

function hostile(label: string, files: Record<string, string | Buffer>, check: (r: Run, dir: string) => void, prepare?: (dir: string) => void): void {
  it(label, function () {
    this.timeout(0);
    const dir = repo({ 'docker-compose.yml': GOOD, ...files });
    prepare?.(dir);
    const r = run(dir, Math.ceil(TIME_RATIO * normal.ms * 2));
    assertSound(r, label);
    assert.ok(r.plan.workloads.some((w) => w.name === 'web'), `${label}: the rest of the plan is missing`);
    check(r, dir);
  });
}

function diagnostic(r: Run, file: string, code?: string) {
  const d = r.plan.diagnostics.find((x) => x.file === file && (code === undefined || x.code === code));
  assert.ok(d, `no ${code ?? ''} diagnostic on ${file}: ${JSON.stringify(r.plan.diagnostics.map((x) => `${x.file}:${x.line} ${x.code}`))}`);
  assert.ok(d.line >= 1);
  return d;
}

function aliasBomb(indent = ''): string {
  const lines = [`${indent}a0: &a0 [x, x]`];
  for (let i = 1; i <= 31; i++) lines.push(`${indent}a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`);
  return lines.join('\n') + '\n';
}

describe('hostile repositories', function () {
  before(function () {
    this.timeout(0);
    const dir = repo({ 'docker-compose.yml': GOOD });
    const runs = [0, 1, 2].map(() => run(dir, 120_000));
    runs.sort((a, b) => a.ms - b.ms);
    normal = { ms: runs[1].ms, rssMb: runs[1].rssMb };
  });

  hostile('a Procfile of 130,000 lines', { Procfile: Array.from({ length: 130_000 }, (_, i) => `p${i}: bin/run ${i}`).join('\n') + '\n' }, (r) => {
    assert.equal(diagnostic(r, 'Procfile', 'too-many-workloads').line, 1);
  });
  hostile('a YAML file of 130,000 documents', { 'k8s/many.yaml': 'apiVersion: v1\nkind: Pod\n---\n'.repeat(130_000) }, (r) => {
    diagnostic(r, 'k8s/many.yaml', 'yaml-too-many-documents');
  });
  hostile('a Dockerfile RUN installing 200,000 packages', { 'app/Dockerfile': 'FROM debian:12\nRUN apt-get install -y ' + Array.from({ length: 200_000 }, (_, i) => `pkg${i}`).join(' ') + '\nCMD ["app"]\n' }, (r) => {
    for (const w of r.plan.workloads) for (const e of w.evidence) assert.ok(e.message.length < 600, `evidence of ${e.message.length} characters`);
  });
  hostile('a depends_on chain 5,000 services deep', { 'docker-compose.yml': GOOD + Array.from({ length: 5000 }, (_, i) => `  s${i}:\n    image: acme/s${i}:1\n` + (i ? `    depends_on: [s${i - 1}]\n` : '')).join('') }, (r) => {
    assert.equal(Math.max(...r.plan.waves.map((w) => w.wave)), 5000);
  });
  hostile('a dependency cycle of 10,000 services', { 'docker-compose.yml': GOOD + Array.from({ length: 10_000 }, (_, i) => `  s${i}:\n    image: acme/s${i}:1\n    depends_on: [s${(i + 1) % 10_000}]\n`).join('') }, (r) => {
    const d = diagnostic(r, 'docker-compose.yml', 'dependency-cycle');
    assert.ok(d.message.length < 400, 'the cycle is summarised, not listed whole');
  });
  hostile('a .env template of 100,000 variables beside 2,000 services that use them', {
    'big/.env.example': Array.from({ length: 100_000 }, (_, i) => `V${i}=value-${i}\n`).join(''),
    'big/docker-compose.yml': 'services:\n' + Array.from({ length: 2000 }, (_, i) => `  s${i}:\n    image: acme/s:\${V${i}}\n    volumes: ["./\${V${i}}:/data"]\n    environment: {A: "\${V${i + 1}}"}\n`).join(''),
  }, (r) => {
    // Below the top-level compose file it is a variant: its services are listed, not planned.
    assert.equal(r.plan.notPlanned.filter((n) => /^s\d+$/.test(n.name)).length, 2000);
    assert.match(diagnostic(r, 'big/docker-compose.yml', 'compose-env-template').message, /its 2001 variables were read from \.env\.example/);
  });
  hostile('a 792-byte alias bomb in a compose file', { 'bomb/compose.yaml': aliasBomb() + 'services:\n  api:\n    image: acme/api:1\n    environment: *a31\n' }, (r) => {
    diagnostic(r, 'bomb/compose.yaml', 'yaml-alias-limit');
  });
  hostile('the same alias bomb under an Ingress spec', { 'k8s/ing.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n' + aliasBomb('  ') }, (r) => {
    diagnostic(r, 'k8s/ing.yaml', 'yaml-alias-limit');
  });
  hostile('nesting 5,000 levels deep', { 'k8s/deep.yaml': 'apiVersion: v1\nkind: Pod\nspec: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n' }, (r) => {
    assert.equal(diagnostic(r, 'k8s/deep.yaml').severity, 'error');
  });

  const SECRET = 'hunter2-outside-the-repository';
  hostile('a fly.toml nested 20,000 arrays deep, and a Render Blueprint whose services are not entries', {
    'fly.toml': 'app = "x"\nv = ' + '['.repeat(20_000) + ']'.repeat(20_000) + '\n',
    'render.yaml': 'services:\n  - just a string\n  - {type: web}\n  - {type: web, name: ok, runtime: docker, plan: {nested: true}, numInstances: [1]}\n',
  }, (r) => {
    assert.equal(diagnostic(r, 'fly.toml', 'toml-syntax').line, 2);
    assert.equal(diagnostic(r, 'render.yaml', 'render-service').line, 3);
    assert.ok(r.plan.workloads.some((w) => w.name === 'ok'));
  });
  hostile('a .env linked to a file outside the repository', { 'app/docker-compose.yml': 'services:\n  api:\n    image: acme/api:${TAG}\n    volumes: ["${DATA}:/data"]\n' }, (r) => {
    assert.ok(!JSON.stringify(r.plan).includes(SECRET), 'a secret from outside the repository is in the plan');
    assert.ok(!r.markdown.includes(SECRET));
    assert.match(diagnostic(r, 'app/.env', 'file-refused').message, /outside the repository/);
  }, (dir) => {
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-outside-')), 'secrets.env');
    fs.writeFileSync(outside, `TAG=1\nDATA=${SECRET}\n`);
    fs.symlinkSync(outside, path.join(dir, 'app', '.env'));
  });
  hostile('a .env that is a FIFO', { 'app/docker-compose.yml': 'services:\n  api:\n    image: acme/api:1\n' }, (r) => {
    assert.match(diagnostic(r, 'app/.env', 'file-refused').message, /not a regular file/);
  }, (dir) => {
    const made = spawnSync('mkfifo', [path.join(dir, 'app', '.env')]);
    assert.equal(made.status, 0, 'mkfifo');
  });
  hostile('a .env linked to /dev/zero', { 'app/docker-compose.yml': 'services:\n  api:\n    image: acme/api:1\n' }, (r) => {
    diagnostic(r, 'app/.env', 'file-refused');
  }, (dir) => fs.symlinkSync('/dev/zero', path.join(dir, 'app', '.env')));
  hostile('a 65 MB .env', { 'app/docker-compose.yml': 'services:\n  api:\n    image: acme/api:1\n' }, (r) => {
    diagnostic(r, 'app/.env', 'file-too-large');
  }, (dir) => fs.writeFileSync(path.join(dir, 'app', '.env'), Buffer.alloc(65 * 1024 * 1024, 'A=1\n')));
  hostile('a compose extends.file outside the repository', { 'app/docker-compose.yml': 'services:\n  api:\n    extends: {file: ../../../../../../etc/passwd, service: root}\n    image: acme/api:1\n' }, (r) => {
    // The path is read inside the repository (`..` never climbs out of it): there is no such file.
    diagnostic(r, 'app/docker-compose.yml', 'compose-extends');
    assert.ok(!JSON.stringify(r.plan).includes('root:x:0:0'));
  });

  hostile('impossible numbers', {
    'num/docker-compose.yml': 'services:\n  a:\n    image: acme/a:1\n    ports: ["81:80"]\n    deploy:\n      replicas: -3\n      resources: {limits: {cpus: "1e308", memory: 1G}}\n  b:\n    image: acme/b:1\n    ports: ["82:80"]\n    deploy: {replicas: abc, resources: {limits: {cpus: "1e9"}}}\n',
    'fn/serverless.yml': 'service: s\nprovider: {name: aws, runtime: nodejs20.x}\nfunctions:\n  f:\n    handler: h.h\n    timeout: -5\n',
    'k8s/d.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: k}\nspec:\n  replicas: 2.5\n  template:\n    spec:\n      containers: [{name: k, image: acme/k:1, resources: {requests: {cpu: "1e300", memory: 1e400}}}]\n',
  }, (r) => {
    const at = (file: string, line: number) => r.plan.diagnostics.filter((d) => d.file === file && d.line === line).map((d) => d.code);
    assert.ok(at('num/docker-compose.yml', 6).includes('quantity-out-of-range'), 'replicas -3');
    assert.ok(at('num/docker-compose.yml', 7).includes('quantity-out-of-range'), 'cpus 1e308');
    assert.ok(at('num/docker-compose.yml', 11).includes('quantity-unreadable'), 'replicas abc');
    assert.ok(at('num/docker-compose.yml', 11).includes('quantity-out-of-range'), 'cpus 1e9');
    assert.ok(at('fn/serverless.yml', 6).includes('quantity-out-of-range'), 'timeout -5');
    assert.ok(at('k8s/d.yaml', 5).includes('quantity-out-of-range'), 'replicas 2.5');
    assert.ok(r.plan.totals.aws.monthlyUsd < 10_000, `a believable total, not ${r.plan.totals.aws.monthlyUsd}`);
  });

  hostile('secrets in a Procfile, a Dockerfile and URLs', {
    Procfile: 'web: bin/web\nexport DB_PASSWORD=correct-horse-battery\n',
    'cron/Dockerfile': 'FROM debian:12\nCMD ["sh", "-c", "echo $PW | cron -f --password=correct-horse-battery"]\n',
    'docker-compose.yml': GOOD + '  api:\n    image: acme/api:1\n    environment:\n      DATABASE_URL: postgres://app:correct-horse-battery@db/app\n      SECRET_KEY_BASE: 0123456789abcdef\n      API_TOKEN: ${API_TOKEN}\n',
  }, (r) => {
    assert.ok(!JSON.stringify(r.plan).includes('correct-horse-battery'), 'a secret is copied into the JSON plan');
    assert.ok(!r.markdown.includes('correct-horse-battery'), 'a secret is copied into the Markdown plan');
    const api = r.plan.workloads.find((w) => w.name === 'api');
    const secrets = (api?.evidence ?? []).filter((e) => e.rule === 'secret.in-config').map((e) => e.message).join(' ');
    assert.match(secrets, /DATABASE_URL|SECRET_KEY_BASE/);
    assert.ok(!/API_TOKEN/.test(secrets), 'a reference to a variable is not a secret in clear');
  });
  it('flags the same secrets with and without a .env, and copies none of its values', async function () {
    this.timeout(0);
    const files = { 'docker-compose.yml': 'services:\n  api:\n    image: acme/api:${TAG}\n    environment:\n      API_TOKEN: ${API_TOKEN}\n      DB_PASSWORD: ${DB_PASSWORD:-changeme}\n    volumes: ["${CERT_SECRET}:/certs", "${DATA_DIR}:/data"]\n' };
    const without = run(repo(files), 120_000);
    const withEnv = run(repo({ ...files, '.env': 'API_TOKEN=tok-1234567890\nDB_PASSWORD=pw-1234567890\nCERT_SECRET=/home/alice/certs\nDATA_DIR=/home/alice/data\nTAG=v9-from-dotenv\n' }), 120_000);
    const rules = (r: Run) => r.plan.workloads.flatMap((w) => w.evidence.filter((e) => e.rule === 'secret.in-config').map((e) => e.message)).sort();
    assert.deepEqual(rules(withEnv), rules(without));
    assert.equal(withEnv.plan.workloads.find((w) => w.name === 'api')?.image, 'acme/api:${TAG}');
    for (const v of ['tok-1234567890', 'pw-1234567890', '/home/alice/certs', '/home/alice/data', 'v9-from-dotenv']) assert.ok(!JSON.stringify(withEnv.plan).includes(v), `${v} copied from .env`);
  });

  it('shows a volume as written where a .env value is also a word of its path (DB_USERNAME=postgres, /var/lib/postgresql)', async function () {
    this.timeout(0);
    const r = run(repo({
      'docker/docker-compose.yml': 'services:\n  database:\n    image: acme/photos:1\n    environment: {DB_USER: "${DB_USERNAME}", DB_PASSWORD: "${DB_PASSWORD}"}\n    volumes: ["${UPLOAD_LOCATION}/postgres:/var/lib/postgresql/data", {type: bind, source: "${UPLOAD_LOCATION}/dumps", target: /dumps}]\n',
      'docker/.env': 'UPLOAD_LOCATION=/home/alice/library\nDB_USERNAME=postgres\nDB_PASSWORD=s3cret-pw\n',
    }), 120_000);
    const shown = r.plan.workloads.find((w) => w.name === 'database')?.evidence.find((e) => e.rule === 'volume.bind')?.message ?? '';
    assert.match(shown, /\$\{UPLOAD_LOCATION\}\/postgres:\/var\/lib\/postgresql\/data/);
    for (const v of ['/home/alice', 's3cret-pw']) assert.ok(!JSON.stringify(r.plan).includes(v), `${v} copied from .env`);
  });
  hostile('markup in service names and images', {
    'x/docker-compose.yml': 'services:\n  "<img src=x onerror=alert(1)>":\n    image: acme/a:1\n  "b\\nclick A call evil()":\n    image: "![x](http://evil/p.png)`"\n    depends_on: ["<img src=x onerror=alert(1)>"]\n',
  }, (r) => {
    assert.ok(!r.markdown.includes('<img'), 'raw HTML in the plan');
    assert.ok(!/^click /m.test(r.markdown), 'a new mermaid line');
    assert.ok(!/[^`\\]!\[x\]\(http:\/\/evil/.test(r.markdown.replace(/`+[^`]*`+/g, '')), 'a remote image outside code');
  });
  hostile('a catastrophic regular expression in .migration.yaml', {
    '.migration.yaml': 'version: 1\nrules:\n  - id: slow\n    when: { trait: image, matches: "^(a+)+$" }\n    then: { strategy: rewrite, weight: 1, message: slow }\n',
    'a/docker-compose.yml': `services:\n  x:\n    image: "${'a'.repeat(32)}!"\n`,
  }, () => undefined);
  hostile('duplicate keys and invalid UTF-8', { 'k8s/dup.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nmetadata: {name: q}\nspec: {containers: [{name: c, image: acme/c:1}]}\n', 'u/docker-compose.yml': Buffer.concat([Buffer.from('services:\n  caf'), Buffer.from([0xe9]), Buffer.from(':\n    image: acme/u:1\n')]) }, (r) => {
    assert.equal(diagnostic(r, 'k8s/dup.yaml', 'yaml-duplicate-key').line, 4);
    assert.equal(diagnostic(r, 'u/docker-compose.yml', 'invalid-utf8').line, 2);
  });
  it('live pricing without any credentials: warnings, the snapshot, exit 0, no stack trace', function () {
    this.timeout(0);
    const dir = repo({ 'docker-compose.yml': GOOD + '  db:\n    image: postgres:16\n' });
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-nohome-'));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, USERPROFILE: home, AWS_EC2_METADATA_DISABLED: 'true', MIGRATION_PLANNER_CACHE_DIR: path.join(home, 'cache'), MIGRATION_PLANNER_PRICE_TIMEOUT_MS: '3000' };
    const r = spawnSync(process.execPath, [CLI, 'assess', dir, '--pricing', 'live', '--format', 'json'], { encoding: 'utf8', env, timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /GCP no credentials/);
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'a stack trace');
    const plan = JSON.parse(r.stdout) as Plan;
    assert.equal(plan.pricing.source, 'snapshot');
    assert.ok(plan.totals.aws.monthlyUsd > 0);
  });
});
