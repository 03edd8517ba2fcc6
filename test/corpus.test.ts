import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assess } from '../src/core/plan/assess';
import { renderMarkdown } from '../src/core/render/markdown';
import { ROOT } from './helpers';
import expected from './corpus-expected.json';

/**
 * Plans of real public repositories (the shared development corpus, read in place), held against
 * the plan an architect wrote by reading their descriptors: the exact workload list, and for each
 * workload its strategy and its AWS and GCP targets ("strategy aws-service gcp-service").
 */
const CORPUS = process.env.CORPUS_DIR ?? path.join(ROOT, '..', 'shared', 'corpus');
const want = expected as Record<string, Record<string, string>>;

describe('public repositories: the plan an architect would sign', function () {
  this.timeout(120_000);
  const scores = { workloads: 0, strategy: 0, targets: 0 };
  const misses: string[] = [];

  before(function () {
    assert.ok(fs.existsSync(CORPUS), `the development corpus is not at ${CORPUS}: set CORPUS_DIR to it`);
  });

  for (const [repoName, workloads] of Object.entries(want)) {
    it(`${repoName}: exactly the expected workloads`, async () => {
      const plan = await assess(path.join(CORPUS, repoName));
      assert.deepEqual(plan.workloads.map((w) => w.name).sort(), Object.keys(workloads).sort());
      for (const w of plan.workloads) {
        const [strategy, aws, gcp] = workloads[w.name].split(' ');
        scores.workloads++;
        if (w.strategy === strategy) scores.strategy++;
        else misses.push(`${repoName} ${w.name}: strategy ${w.strategy}, expected ${strategy}`);
        if ((w.targets.aws?.service ?? '-') === aws && (w.targets.gcp?.service ?? '-') === gcp) scores.targets++;
        else misses.push(`${repoName} ${w.name}: targets ${w.targets.aws?.service ?? '-'} / ${w.targets.gcp?.service ?? '-'}, expected ${aws} / ${gcp}`);
      }
    });
  }

  it('gets at least 95% of strategies and 90% of targets right over all of them', () => {
    assert.ok(Object.keys(want).length >= 15);
    assert.ok(scores.workloads > 100, `${scores.workloads} workloads scored`);
    const strategy = scores.strategy / scores.workloads;
    const targets = scores.targets / scores.workloads;
    assert.ok(strategy >= 0.95, `strategy ${(strategy * 100).toFixed(1)}%: ${misses.join('; ')}`);
    assert.ok(targets >= 0.9, `targets ${(targets * 100).toFixed(1)}%: ${misses.join('; ')}`);
  });

  it('gives the same plan, byte for byte, whatever the checkout folder is called', async () => {
    const src = path.join(CORPUS, 'instana__robot-shop');
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cmp-clone-')), 'some-other-name');
    fs.cpSync(src, copy, { recursive: true });
    const a = renderMarkdown(await assess(src));
    const b = renderMarkdown(await assess(copy));
    assert.equal(a, b);
    assert.doesNotMatch(a, /instana__robot-shop|some-other-name/);
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  });

  it('never plans a base image, a build helper, a chart as such or a variant, and says why', async () => {
    const jitsi = await assess(path.join(CORPUS, 'jitsi__docker-jitsi-meet'));
    const reasons = new Map(jitsi.notPlanned.map((n) => [n.name, n.reason]));
    assert.equal(reasons.get('base'), 'base-image');
    assert.equal(reasons.get('base-java'), 'base-image');
    assert.ok(!jitsi.workloads.some((w) => w.name === 'base' || w.name === 'base-java'));
    const retail = await assess(path.join(CORPUS, 'aws-containers__retail-store-sample-app'));
    assert.equal(retail.notPlanned.find((n) => n.name === 'retail-store-sample-chart')?.reason, 'helm-chart');
    assert.equal(retail.notPlanned.find((n) => n.name === 'jaeger')?.reason, 'variant');
    const otel = await assess(path.join(CORPUS, 'open-telemetry__opentelemetry-demo'));
    assert.ok(!otel.workloads.some((w) => w.name === 'src' || w.name === 'genproto'), 'no workload named after a generic folder');
    assert.ok(otel.workloads.some((w) => w.name === 'cart'), 'src/cart/src/Dockerfile is cart');
  });
});
