import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { at, CLOUDFORMATION_TAGS, COMPOSE_TAGS, MAX_ALIAS_NODES, MAX_DOCUMENTS, parseYaml } from '../src/core/parse/yaml';

// YAML is read by js-yaml's event parser (positions) and its constructor (plain data); files it
// refuses go to the `yaml` library. Either way: the same data, positions, guards and diagnostics.

function pos(text: string, path: Array<string | number>, doc = 0): string {
  const r = parseYaml(text, 'f.yaml');
  const ref = at(r.docs[doc], path);
  return `${ref.line}:${ref.column}`;
}

/** 31 levels of two aliases: 792 bytes that expand to 2^31 nodes. */
function aliasBomb(): string {
  const lines = ['a0: &a0 [x, x]'];
  for (let i = 1; i <= 31; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`);
  return lines.join('\n') + '\nservices: {}\n';
}

describe('YAML reading', () => {
  it('gives the position of keys, items and nested values', () => {
    const text = 'services:\n  web:\n    image: nginx\n    ports:\n      - "80:80"\n      - 443\n  "db":\n    image: postgres\n';
    assert.equal(pos(text, ['services', 'web', 'image']), '3:5');
    assert.equal(pos(text, ['services', 'web', 'ports', 1]), '6:9');
    assert.equal(pos(text, ['services', 'web', 'ports', 0]), '5:9');
    assert.equal(pos(text, ['services', 'db', 'image']), '8:5');
    // A path that does not exist: the deepest existing ancestor.
    assert.equal(pos(text, ['services', 'web', 'volumes']), '2:3');
  });
  it('points keys brought in by a merge key at the anchor’s definition', () => {
    const text = 'x-common: &common\n  restart: always\n  volumes: [data:/d]\nservices:\n  web:\n    <<: *common\n    image: nginx\n';
    const r = parseYaml(text, 'f.yaml');
    assert.deepEqual((r.docs[0].js as { services: { web: unknown } }).services.web, { restart: 'always', volumes: ['data:/d'], image: 'nginx' });
    assert.equal(pos(text, ['services', 'web', 'volumes']), '3:3');
    assert.equal(pos(text, ['services', 'web', 'image']), '7:5');
  });
  it('reads every document of a stream, with its index and positions', () => {
    const text = 'kind: A\n---\nkind: B\nspec:\n  replicas: 2\n';
    const r = parseYaml(text, 'f.yaml');
    assert.deepEqual(r.docs.map((d) => [d.index, d.js]), [[0, { kind: 'A' }], [1, { kind: 'B', spec: { replicas: 2 } }]]);
    assert.equal(pos(text, ['spec', 'replicas'], 1), '5:3');
  });
  it('diagnoses a duplicate key at the second one, whose value is the one read', () => {
    const r = parseYaml('image: a\nports: [1]\nimage: b\n', 'f.yaml');
    assert.deepEqual(r.docs[0].js, { image: 'b', ports: [1] });
    const d = r.diagnostics.find((x) => x.code === 'yaml-duplicate-key');
    assert.equal(d?.line, 3);
    assert.equal(at(r.docs[0], ['image']).line, 3);
  });
  it('does not report the tags of the format being read (CloudFormation in serverless.yml, Compose merge tags), only others', () => {
    const text = 'Resource: !GetAtt [Queue, Arn]\nName: !Ref Bucket\nPassword: !reset null\nOther: !Custom x\n';
    const cfn = parseYaml(text, 'serverless.yml', { formatTags: CLOUDFORMATION_TAGS });
    assert.deepEqual(cfn.docs[0].js, { Resource: ['Queue', 'Arn'], Name: 'Bucket', Password: null, Other: 'x' });
    assert.deepEqual(cfn.diagnostics.map((d) => d.message), ['Unresolved tag: !reset', 'Unresolved tag: !Custom']);
    const compose = parseYaml(text, 'compose.yaml', { formatTags: COMPOSE_TAGS });
    assert.deepEqual(compose.diagnostics.map((d) => d.message), ['Unresolved tag: !GetAtt', 'Unresolved tag: !Ref', 'Unresolved tag: !Custom']);
  });
  it('reports a tag it does not know and reads the value untagged', () => {
    const r = parseYaml('Resource: !GetAtt [Queue, Arn]\nName: !Ref Bucket\nPassword: !reset null\n', 'f.yaml');
    assert.deepEqual(r.docs[0].js, { Resource: ['Queue', 'Arn'], Name: 'Bucket', Password: null });
    const warnings = r.diagnostics.filter((d) => d.code === 'yaml-warning');
    assert.deepEqual(warnings.map((w) => [w.line, w.column, w.endColumn, w.message]), [
      [1, 11, 18, 'Unresolved tag: !GetAtt'],
      [2, 7, 11, 'Unresolved tag: !Ref'],
      [3, 11, 17, 'Unresolved tag: !reset'],
    ]);
  });
  it('refuses a 792-byte alias bomb from the anchors’ sizes, without expanding it', () => {
    const bomb = aliasBomb();
    assert.ok(bomb.length < 800);
    const t0 = process.hrtime.bigint();
    const r = parseYaml(bomb, 'bomb.yaml');
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.equal(r.docs.length, 0);
    assert.equal(r.diagnostics[0].code, 'yaml-alias-limit');
    assert.match(r.diagnostics[0].message, new RegExp(String(MAX_ALIAS_NODES)));
    // Measured against reading a normal file of the same size a thousand times.
    const normal = 'services:\n' + '  web:\n    image: nginx\n'.repeat(30);
    const t1 = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) parseYaml(normal, 'n.yaml');
    const normalMs = Number(process.hrtime.bigint() - t1) / 1e6;
    assert.ok(ms < normalMs, `bomb ${ms.toFixed(1)} ms vs 1000 normal reads ${normalMs.toFixed(1)} ms`);
  });
  it('keeps legitimate anchors and merge keys used many times', () => {
    const lines = ['x: &d {restart: always, environment: {A: "1", B: "2"}}', 'services:'];
    for (let i = 0; i < 2000; i++) lines.push(`  s${i}: {<<: *d, image: "i${i}"}`);
    const r = parseYaml(lines.join('\n'), 'f.yaml');
    assert.equal(r.diagnostics.length, 0);
    assert.equal(Object.keys((r.docs[0].js as { services: object }).services).length, 2000);
  });
  it('ends too deep nesting in a diagnostic, never a stack overflow', () => {
    const deep = 'a: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
    const r = parseYaml(deep, 'deep.yaml');
    assert.equal(r.docs.length, 0);
    assert.equal(r.diagnostics[0].severity, 'error');
  });
  it('reads a stream of 130,000 documents up to the limit, with a diagnostic, without overflowing the stack', () => {
    const r = parseYaml('kind: A\n---\n'.repeat(130000), 'many.yaml');
    assert.equal(r.docs.length, MAX_DOCUMENTS);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['yaml-too-many-documents']);
  });
  it('reads a flow sequence closed at its key’s indentation, as Compose does (Sentry’s compose file)', () => {
    const text = 'services:\n  web:\n    healthcheck:\n      test: [\n          "CMD-SHELL",\n          "curl -f localhost"\n      ]\n      interval: 30s\n    image: x\n';
    const r = parseYaml(text, 'c.yaml');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual((r.docs[0].js as { services: { web: { healthcheck: { test: string[] } } } }).services.web.healthcheck.test, ['CMD-SHELL', 'curl -f localhost']);
    assert.equal(at(r.docs[0], ['services', 'web', 'image']).line, 9);
  });
  it('reports each broken document at its line and still reads the others', () => {
    const r = parseYaml('kind: A\n---\nkind: B\n  bad: [\n---\nkind: C\n', 'f.yaml');
    assert.deepEqual(r.docs.map((d) => (d.js as { kind: string }).kind), ['A', 'C']);
    const err = r.diagnostics.find((d) => d.code === 'yaml-syntax');
    assert.ok(err && err.line >= 3 && err.line <= 5, JSON.stringify(err));
    assert.match(err?.message ?? '', /document 2 of this file was left out of the plan/);
  });
});

describe('js-yaml build in the bundles', () => {
  // Its ES module build parses at half the speed on Node 20 (scripts/build.mjs says why): every bundle
  // that parses YAML takes the CommonJS build, this test bundle too. The extension's engine bundle is
  // built with the same plugins; minified, it keeps no module names to check.
  const ROOT = path.join(__dirname, '..', '..');
  for (const bundle of ['dist/cli.js', 'dist/parse-worker.js', 'out/test/yaml.test.js']) {
    it(`${bundle} holds the CommonJS build`, () => {
      const text = fs.readFileSync(path.join(ROOT, bundle), 'utf8');
      assert.match(text, /var require_js_yaml_cjs = __commonJS\(/);
      assert.doesNotMatch(text, /node_modules\/js-yaml\/dist\/js-yaml\.mjs/);
    });
  }
});
