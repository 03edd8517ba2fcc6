import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { assess } from '../src/core/plan/assess';
import type { Plan } from '../src/core/plan';
import { SAMPLES, workload } from './helpers';

const plans = new Map<string, Plan>();
async function sample(name: string): Promise<Plan> {
  let p = plans.get(name);
  if (!p) plans.set(name, (p = await assess(path.join(SAMPLES, name))));
  return p;
}
const targets = (plan: Plan, name: string) => {
  const w = workload(plan, name);
  return [w.strategy, w.targets.aws?.service ?? null, w.targets.gcp?.service ?? null];
};

describe('samples: the calls a migration architect made', () => {
  it('carmaker: containers on ECS Fargate, a function on Lambda, RDS, and managed search', async () => {
    const p = await sample('carmaker-used-car-quotes');
    assert.deepEqual(targets(p, 'quote-web'), ['replatform', 'aws.ecs-fargate', 'gcp.cloud-run']);
    assert.deepEqual(targets(p, 'quote-api'), ['replatform', 'aws.ecs-fargate', 'gcp.cloud-run']);
    // The functions are already written for Lambda (Serverless Framework, provider aws): retained
    // there, with the move to Cloud Functions priced on the GCP side.
    assert.deepEqual(targets(p, 'quotes-price-estimate'), ['retain', 'aws.lambda', 'gcp.cloud-functions']);
    assert.deepEqual(targets(p, 'quotes-nightly-reindex'), ['retain', 'aws.lambda', 'gcp.cloud-functions']);
    assert.equal(workload(p, 'quotes-price-estimate').home, 'aws');
    assert.deepEqual(targets(p, 'postgres'), ['replatform', 'aws.rds', 'gcp.cloud-sql']);
    assert.deepEqual(targets(p, 'search'), ['replatform', 'aws.opensearch', 'gcp.compute-engine']); // no GKE cluster to share: a VM
    assert.equal(workload(p, 'quote-api').targets.aws?.sizing.count, 3);
    assert.deepEqual(workload(p, 'quote-web').sources.map((s) => s.file), ['docker-compose.yml', 'web/Dockerfile']);
    assert.deepEqual(p.waves.map((w) => w.workloads), [['postgres', 'search'], ['quote-api'], ['quote-web']]); // the retained functions do not move
  });
  it('grocer: the front stays on managed Kubernetes sized from the HPA minimum; the middle tier stays on premises', async () => {
    const p = await sample('grocer-drive-shop');
    assert.deepEqual(targets(p, 'web-front'), ['replatform', 'aws.eks', 'gcp.gke']);
    assert.deepEqual(targets(p, 'mobile-api'), ['replatform', 'aws.eks', 'gcp.gke']);
    assert.equal(workload(p, 'web-front').targets.gcp?.sizing.count, 3, 'HPA minReplicas');
    assert.ok(workload(p, 'web-front').targets.gcp?.sizing.basis.some((b) => b.includes('up to 36')), 'HPA maxReplicas is recorded');
    assert.deepEqual(targets(p, 'analytics-export'), ['replatform', 'aws.ecs-fargate', 'gcp.cloud-run-jobs']);
    assert.deepEqual(targets(p, 'product-images'), ['replatform', 'aws.s3', 'gcp.gcs']);
    assert.deepEqual(targets(p, 'loyalty'), ['retain', null, null]);
    assert.deepEqual(targets(p, 'customer-registry'), ['retain', null, null]);
    assert.ok(workload(p, 'web-front').notes.some((n) => /loyalty, which stays on premises/.test(n)), 'hybrid connectivity is called out');
    assert.ok(workload(p, 'web-front').evidence.some((e) => e.rule === 'env.literal-ip' && e.file === 'k8s/web-front.yaml'));
    // The developers' Dockerfile.dev is listed, not planned, and gives the web front nothing.
    assert.deepEqual(p.notPlanned.map((n) => [n.name, n.reason]), [['web-front-dev', 'dev-variant']]);
    assert.deepEqual(workload(p, 'web-front').sources.map((s) => s.file).filter((f) => f.startsWith('web-front/')), ['web-front/Dockerfile']);
  });
  it('ride-hailing: Heroku dynos and add-ons to Cloud Run, Cloud Scheduler jobs, Cloud SQL and Memorystore', async () => {
    const p = await sample('ridehailing-heroku');
    assert.deepEqual(targets(p, 'web'), ['replatform', 'aws.ecs-fargate', 'gcp.cloud-run']);
    assert.deepEqual(targets(p, 'worker'), ['replatform', 'aws.ecs-fargate', 'gcp.cloud-run']);
    assert.deepEqual(targets(p, 'clock'), ['replatform', 'aws.ecs-fargate', 'gcp.cloud-run-jobs']);
    assert.deepEqual(targets(p, 'release'), ['replatform', 'aws.ecs-fargate', 'gcp.cloud-run-jobs']);
    assert.deepEqual(targets(p, 'scheduler'), ['replatform', 'aws.ecs-fargate', 'gcp.cloud-run-jobs']);
    assert.deepEqual(targets(p, 'postgresql'), ['replatform', 'aws.rds', 'gcp.cloud-sql']);
    assert.deepEqual(targets(p, 'redis'), ['replatform', 'aws.elasticache', 'gcp.memorystore']);
    assert.equal(workload(p, 'papertrail').targets.gcp?.service, 'gcp.cloud-logging');
    assert.equal(workload(p, 'web').targets.gcp?.sizing.count, 4, 'formation quantity');
    assert.ok(workload(p, 'web').evidence.some((e) => e.rule === 'secret.in-config' && e.file === 'app.json'));
  });
  it('betting operator: COBOL on AIX and the C++ POS back end are rewritten; Hadoop to S3 + EMR; DB2 and Oracle retired by decision', async () => {
    const p = await sample('betting-operator');
    assert.deepEqual(targets(p, 'bet-engine'), ['rewrite', 'aws.ecs-fargate', 'gcp.cloud-run']);
    assert.deepEqual(targets(p, 'pos-backend'), ['rewrite', 'aws.ecs-fargate', 'gcp.cloud-run']);
    assert.deepEqual(targets(p, 'data-lake'), ['replatform', 'aws.emr', 'gcp.dataproc']);
    assert.ok(workload(p, 'data-lake').cost.aws.lines.some((l) => l.resource.startsWith('S3') && l.monthlyUsd === 9200), '400,000 GB × $0.023');
    assert.deepEqual(targets(p, 'db2'), ['retire', null, null]);
    assert.deepEqual(targets(p, 'oracle'), ['retire', null, null]);
    assert.ok(workload(p, 'db2').evidence[0].message.includes('the rules said replatform'), 'the engine would have replatformed DB2');
    assert.deepEqual(targets(p, 'bet-placement'), ['replatform', 'aws.eks', 'gcp.gke']);
    assert.ok(workload(p, 'bet-engine').notes.some((n) => /retired/.test(n)), 'dependency on a retired database is flagged');
    assert.ok(workload(p, 'bet-engine').targets.aws?.sizing.basis.some((b) => b.includes('35% utilisation')));
  });
  it('e-learning: PHP to managed containers, MySQL to RDS, Memcached to ElastiCache, media to S3', async () => {
    const p = await sample('elearning-lamp');
    assert.deepEqual(targets(p, 'web'), ['replatform', 'aws.ecs-fargate', 'gcp.cloud-run']);
    assert.deepEqual(targets(p, 'mysql'), ['replatform', 'aws.rds', 'gcp.cloud-sql']);
    assert.deepEqual(targets(p, 'memcached'), ['replatform', 'aws.elasticache', 'gcp.memorystore']);
    assert.deepEqual(targets(p, 'course-media'), ['replatform', 'aws.s3', 'gcp.gcs']);
    assert.equal(workload(p, 'web').targets.aws?.sizing.count, 4);
    assert.ok(workload(p, 'web').evidence.some((e) => e.rule === 'volume.bind'));
    // The .env file resolves MYSQL_PASSWORD; the only warning left is Cloud Run memory, which has no Tier 1 price in the bundled data.
    assert.deepEqual(p.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code), ['pricing-region']);
  });
});
