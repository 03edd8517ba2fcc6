/**
 * The data model shared by every stage of the engine:
 * discover → parse → workload model → classify → target & size → price → plan → render.
 * Nothing here imports `vscode`; the extension and the CLI both consume these types.
 */

export type Severity = 'error' | 'warning' | 'info';

/** A place in a repository: a POSIX path relative to the assessed root, 1-based line and column. */
export interface SourceRef {
  file: string;
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

/** Errors are data: every problem found while reading a repository becomes one of these. */
export interface Diagnostic extends SourceRef {
  severity: Severity;
  /** A stable code, e.g. `yaml-syntax`, `compose-unknown-variable`, `rule:privileged`. */
  code: string;
  message: string;
}

export type DescriptorKind =
  | 'dockerfile'
  | 'compose'
  | 'kubernetes'
  | 'helm'
  | 'procfile'
  | 'heroku-app'
  | 'cloudfoundry'
  | 'serverless'
  | 'appengine'
  | 'render'
  | 'fly'
  | 'kamal'
  | 'railway'
  | 'digitalocean'
  | 'azd'
  | 'ecs'
  | 'copilot'
  | 'apprunner'
  | 'netlify'
  | 'platformsh'
  | 'inventory'
  | 'config';

export interface DescriptorFile {
  /** POSIX path relative to the root. */
  path: string;
  kind: DescriptorKind;
  /** Bytes, when known: discovery does not ask (the reader measures each file as it opens it). */
  size?: number;
  /** A Helm chart's own template files, read with its Chart.yaml and values. */
  templates?: string[];
}

export type TraitValue = string | number | boolean;

/** One fact about a workload, with the place in a descriptor that says it. */
export interface Trait {
  name: string;
  value: TraitValue;
  source: SourceRef;
}

export type WorkloadKind =
  | 'service'
  | 'worker'
  | 'job'
  | 'scheduled-job'
  | 'daemon'
  | 'function'
  | 'datastore'
  | 'storage'
  | 'batch'
  | 'vm'
  | 'data-platform';

export interface Sized<T> {
  value: T;
  source?: SourceRef;
  /** A limit or a fixed size (compose `limits`, `mem_limit`, a Kubernetes limit with no request, a dyno size, a Cloud Foundry `memory`, an App Engine instance class): the most it may use, not what it asks for; no headroom is added to it. */
  cap?: boolean;
}

/** Resources of ONE replica/instance, plus the replica counts. */
export interface Resources {
  cpu?: Sized<number>; // vCPU
  memoryMiB?: Sized<number>;
  replicas?: Sized<number>;
  minReplicas?: Sized<number>;
  maxReplicas?: Sized<number>;
  storageGiB?: Sized<number>;
  gpus?: Sized<number>;
  /** Lambda-style timeout in seconds, when a function declares one. */
  timeoutSeconds?: Sized<number>;
  /** Current monthly cost on premises, when declared (USD). */
  onPremMonthlyUsd?: Sized<number>;
  /** Average utilisation (0..1) on premises, when declared. */
  utilisation?: Sized<number>;
}

/**
 * A workload as one parser saw it. Several partial workloads describing the same service
 * (a compose service and its Dockerfile, a Deployment of the same image) are merged into one.
 */
export interface PartialWorkload {
  name: string;
  kind: WorkloadKind;
  source: SourceRef;
  descriptor: DescriptorKind;
  image?: string;
  /** Path of the Dockerfile this workload is built from, relative to the root. */
  buildDockerfile?: string;
  traits: Trait[];
  resources: Resources;
  ports: number[];
  /** Names of other workloads this one needs (depends_on, links, env references). */
  dependsOn: Sized<string>[];
  /** Env var names with their values (values are kept only to look for hosts and URLs). */
  env: { name: string; value?: string; source: SourceRef }[];
}

export interface Workload extends Omit<PartialWorkload, 'source' | 'descriptor'> {
  /** Stable identifier (slug of the name). */
  id: string;
  sources: SourceRef[];
  descriptors: DescriptorKind[];
}

export type Strategy = 'rehost' | 'replatform' | 'rewrite' | 'retain' | 'retire';
export const STRATEGIES: readonly Strategy[] = ['rehost', 'replatform', 'rewrite', 'retain', 'retire'];

export interface Evidence {
  rule: string;
  message: string;
  file: string;
  line: number;
  severity: Severity;
  /** The rule proposed a strategy or target that was not chosen: shown apart from the reasons. */
  considered?: boolean;
}

export type Provider = 'aws' | 'gcp';
export const PROVIDERS: readonly Provider[] = ['aws', 'gcp'];

export interface Classification {
  strategy: Strategy;
  /** The cloud the workload runs on today, where it is retained; the other cloud prices the move. */
  home?: Provider;
  confidence: number;
  evidence: Evidence[];
  blockers: Evidence[];
  effort: number;
  targetClass: string;
  /** Target classes ruled out, with why. */
  ruledOut: { targetClass: string; rule: string; message: string }[];
  conflict?: string;
  override?: { strategy: Strategy; reason: string; file: string; line: number };
  notes: string[];
}

export interface Sizing {
  /** Human-readable size, e.g. "2 tasks × 0.5 vCPU / 1 GB". */
  summary: string;
  instanceType?: string;
  count?: number;
  vcpu?: number;
  memoryGiB?: number;
  storageGiB?: number;
  /** Facts used for the size and where they came from ("default" when the descriptor said nothing). */
  basis: string[];
}

export interface Target {
  service: string;
  note?: string;
  sizing: Sizing;
}

export interface CostLine {
  resource: string;
  quantity: number;
  unit: string;
  unitPriceUsd: number | null;
  monthlyUsd: number | null;
  /** Price key in the snapshot. */
  priceKey: string;
  source: 'snapshot' | 'live' | 'missing';
  asOf?: string;
  /** How sure the unit price is (the snapshot's confidence; `weak` prices are old or partial). */
  confidence?: string;
  /** Why the price is missing, when it is. */
  missing?: string;
}

export interface Cost {
  monthlyUsd: number;
  /** True when every line has a price. */
  complete: boolean;
  lines: CostLine[];
}
