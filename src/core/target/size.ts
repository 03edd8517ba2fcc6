import targetsData from '../../../data/targets.yaml';
import type { Snapshot } from '../price/snapshot';
import type { Provider, Sizing, Strategy, Workload } from '../types';
import { round } from '../units';
import { table } from '../collections';

export interface TargetClassDef {
  sizing: SizingModel;
  kind?: Workload['kind'];
  engine?: string;
  /** The strategy that choosing this class means, whatever else voted (a replaced workload retires). */
  strategy?: Strategy;
  aws: ProviderTarget;
  gcp: ProviderTarget;
}
/** One provider's side of a target class; `sizing` and `engine` override the class's own there. */
export interface ProviderTarget {
  service: string;
  note?: string;
  /** The note for a workload that answers no requests (a worker), when it differs. */
  workerNote?: string;
  sizing?: SizingModel;
  engine?: string;
}
export type SizingModel = 'container' | 'pod' | 'vm' | 'gpu-vm' | 'job' | 'function' | 'database' | 'cache' | 'cluster' | 'storage' | 'data-lake' | 'static-site' | 'workflow' | 'included' | 'replaced' | 'none';

export const TARGET_CLASSES = table((targetsData as { classes: Record<string, TargetClassDef> }).classes);

export interface SizingOptions {
  headroom: number;
  defaultCpu: number;
  defaultMemoryMiB: number;
  functionInvocationsPerMonth: number;
  functionDurationMs: number;
  jobMinutesPerRun: number;
  storageGiB: number;
  /** Storage assumed for a database that declares none. */
  databaseStorageGiB: number;
  /** Usage assumed for a NoSQL table (DynamoDB / Firestore), per month. */
  nosqlReadsPerMonth: number;
  nosqlWritesPerMonth: number;
  /** Messages a queue or broker carries per month, and their size. */
  messagesPerMonth: number;
  messageKiB: number;
  /** Log volume ingested per month by the logging service. */
  logGiBPerMonth: number;
  /** A static site's files, and what it serves to the internet a month. */
  staticSiteGiB: number;
  staticEgressGiBPerMonth: number;
  /**
   * Set by the plan, never by configuration: where the always-on workers below 1 vCPU run on GCP.
   * Cloud Run bills them by instance, which needs a whole vCPU; with two or more of them, GKE
   * Autopilot's pod billing (a fraction of a vCPU, like the Fargate task) pays its cluster fee.
   */
  smallWorkersOnGcp?: 'cloud-run' | 'gke-autopilot';
  /**
   * Set by the plan: where a service with no managed counterpart on GCP (search) runs itself. On the
   * GKE cluster the plan has anyway; with no other workload on GKE, on Compute Engine VMs, so that
   * one search node does not pay for a cluster.
   */
  selfManagedOnGcp?: 'gke' | 'vm';
}

export const DEFAULT_SIZING: SizingOptions = {
  headroom: 0.2,
  defaultCpu: 0.25,
  defaultMemoryMiB: 512,
  functionInvocationsPerMonth: 1_000_000,
  functionDurationMs: 200,
  jobMinutesPerRun: 10,
  storageGiB: 100,
  databaseStorageGiB: 20,
  nosqlReadsPerMonth: 10_000_000,
  nosqlWritesPerMonth: 1_000_000,
  messagesPerMonth: 10_000_000,
  messageKiB: 1,
  logGiBPerMonth: 10,
  staticSiteGiB: 1,
  staticEgressGiBPerMonth: 50,
};

export const HOURS = 730;
/** Days in the 730-hour month. */
export const DAYS = HOURS / 24;

/** One priced quantity: what the bill will count, and the snapshot key of its unit price. */
export interface Usage {
  resource: string;
  quantity: number;
  unit: string;
  priceKey: string;
  /** The quantity grows with replicas or requests (what a traffic peak multiplies). */
  scales?: boolean;
  /** For a shared line (a cluster fee, a load balancer): the workloads it serves. */
  serves?: string[];
}

export interface SizedTarget {
  service: string;
  note?: string;
  sizing: Sizing;
  usage: Usage[];
}

/** What a workload asks for per replica, with the basis of each figure. */
interface Demand {
  cpu: number;
  memGiB: number;
  /** Whether a descriptor stated the CPU / memory (headroom is added to stated figures only). */
  cpuDeclared: boolean;
  memDeclared: boolean;
  /** Whether the stated figure is a limit, the most it may use (no headroom on top of it). */
  cpuCap: boolean;
  memCap: boolean;
  replicas: number;
  maxReplicas?: number;
  storageGiB?: number;
  gpus: number;
  basis: string[];
}

function where(src?: { file: string; line: number }): string {
  return src ? `${src.file}:${src.line}` : 'default';
}

/**
 * `containerDefaults`: whether an undeclared CPU or memory falls back to the container defaults and
 * the basis says so; a database has defaults of its own, which its sizer states instead.
 */
export function demandOf(w: Workload, o: SizingOptions, containerDefaults = true): Demand {
  const r = w.resources;
  const basis: string[] = [];
  let cpu = r.cpu?.value && r.cpu.value > 0 ? r.cpu.value : o.defaultCpu;
  if (r.cpu?.value || containerDefaults) basis.push(`cpu ${round(cpu, 3)} vCPU (${r.cpu?.value ? where(r.cpu.source) : 'default: not declared'})`);
  const util = r.utilisation?.value;
  if (util !== undefined && util > 0 && util < 1 && r.cpu?.value) {
    // Right-size: what is used, not what was bought (never below a tenth of it).
    cpu = cpu * Math.max(util, 0.1);
    basis.push(`right-sized to ${round(cpu, 3)} vCPU at ${Math.round(util * 100)}% utilisation (${where(r.utilisation?.source)})`);
  }
  const memMiB = r.memoryMiB?.value && r.memoryMiB.value > 0 ? r.memoryMiB.value : o.defaultMemoryMiB;
  if (r.memoryMiB?.value || containerDefaults) basis.push(`memory ${round(memMiB)} MiB (${r.memoryMiB?.value ? where(r.memoryMiB.source) : 'default: not declared'})`);
  let replicas = r.replicas?.value ?? 1;
  let replicaBasis = r.replicas?.source ? where(r.replicas.source) : 'default';
  if (r.minReplicas?.value !== undefined) {
    replicas = r.minReplicas.value;
    replicaBasis = `autoscaling minimum, ${where(r.minReplicas.source)}`;
  }
  if (Math.round(replicas) < 1) {
    // Scaled to zero where it is described (`replicas: 0`, `minReplicas: 0`): sized as the one replica it runs when it runs.
    replicaBasis = `${replicaBasis} sets ${round(replicas, 3)}: priced as the 1 replica it runs when up`;
  }
  replicas = Math.max(1, Math.round(replicas));
  basis.push(`${replicas} replica${replicas === 1 ? '' : 's'} (${replicaBasis})`);
  if (r.maxReplicas?.value !== undefined) basis.push(`up to ${r.maxReplicas.value} (${where(r.maxReplicas.source)})`);
  if (r.storageGiB?.value !== undefined) basis.push(`storage ${round(r.storageGiB.value)} GiB (${where(r.storageGiB.source)})`);
  return {
    cpu,
    memGiB: memMiB / 1024,
    cpuDeclared: !!(r.cpu?.value && r.cpu.value > 0),
    memDeclared: !!(r.memoryMiB?.value && r.memoryMiB.value > 0),
    cpuCap: r.cpu?.cap === true,
    memCap: r.memoryMiB?.cap === true,
    replicas,
    maxReplicas: r.maxReplicas?.value,
    storageGiB: r.storageGiB?.value,
    gpus: r.gpus?.value ?? 0,
    basis,
  };
}

// ---- Fargate and Cloud Run shapes -------------------------------------------------------------

/** The smallest valid Fargate task size (vCPU, GB) that holds the demand. */
export function fargateTask(cpu: number, memGiB: number): { cpu: number; memGiB: number } {
  for (const [c, mems] of FARGATE_TASK_SIZES) {
    if (c + 1e-9 < cpu) continue;
    const m = mems.find((x) => x + 1e-9 >= memGiB);
    if (m !== undefined) return { cpu: c, memGiB: m };
  }
  return { cpu: 16, memGiB: 120 };
}

function range(a: number, b: number, step: number): number[] {
  const out: number[] = [];
  for (let x = a; x <= b + 1e-9; x += step) out.push(x);
  return out;
}

/** Fargate's task sizes: each vCPU size with the memory sizes (GiB) it allows. */
const FARGATE_TASK_SIZES: ReadonlyArray<readonly [number, readonly number[]]> = [
  [0.25, [0.5, 1, 2]],
  [0.5, [1, 2, 3, 4]],
  [1, [2, 3, 4, 5, 6, 7, 8]],
  [2, range(4, 16, 1)],
  [4, range(8, 30, 1)],
  [8, range(16, 60, 4)],
  [16, range(32, 120, 8)],
];

/** Cloud Run instance size: CPU 1, 2, 4, 6, 8 (or a fraction below 1 with ≤ 512 MiB), memory in 128 MiB steps. */
export function cloudRunInstance(cpu: number, memGiB: number): { cpu: number; memGiB: number } {
  let mem = Math.max(0.125, Math.ceil((memGiB * 1024) / 128) * 128 / 1024);
  let c: number;
  if (cpu < 1 && mem <= 0.5) c = Math.max(0.08, Math.ceil(cpu * 100) / 100);
  else c = [1, 2, 4, 6, 8].find((x) => x + 1e-9 >= cpu) ?? 8;
  if (c >= 4 && mem < 2) mem = 2;
  if (c >= 6 && mem < 4) mem = 4;
  if (mem > 32) mem = 32;
  return { cpu: c, memGiB: round(mem, 3) };
}

/** How Cloud Run bills a service: by request (HTTP services) or by instance (always-on workers). */
export type RunBilling = 'request' | 'instance';

export interface ContainerShapes {
  fargate: { cpu: number; memGiB: number };
  run: { cpu: number; memGiB: number };
  /** Each platform rule that made the Cloud Run shape differ from the Fargate one. */
  rules: string[];
}

const RUN_CPUS = [1, 2, 4, 6, 8];
const RUN_MEM: Record<number, [number, number]> = { 1: [0.125, 4], 2: [0.125, 8], 4: [2, 16], 6: [4, 24], 8: [4, 32] };

/**
 * One shape for both clouds: the smallest valid Fargate task that holds the demand, and the same
 * vCPU and memory on Cloud Run unless one of its rules forces more; each such rule is named.
 * `fractionalCpu`: whether Cloud Run may run it below 1 vCPU (request-based services and jobs).
 */
export function containerShapes(cpu: number, memGiB: number, fractionalCpu: boolean): ContainerShapes {
  const f = fargateTask(cpu, memGiB);
  const rules: string[] = [];
  let c = f.cpu;
  let m = f.memGiB;
  if (c < 1 && !fractionalCpu) {
    c = 1;
    rules.push('Cloud Run: instance-based billing needs at least 1 vCPU');
  }
  if (c < 1) {
    const need = m > 1 ? 1 : m > 0.5 ? 0.5 : 0.08;
    if (c < need) {
      c = need;
      rules.push(`Cloud Run: ${m > 1 ? 'more than 1 GiB needs 1 vCPU' : 'more than 512 MiB needs at least 0.5 vCPU'}`);
    }
  }
  if (c >= 1) {
    const whole = RUN_CPUS.find((x) => x + 1e-9 >= c) ?? 8;
    if (whole !== c) rules.push('Cloud Run: above 1, vCPU comes in 1, 2, 4, 6 or 8');
    c = whole;
    while (m > RUN_MEM[c][1] + 1e-9 && c < 8) {
      c = RUN_CPUS[RUN_CPUS.indexOf(c) + 1];
      rules.push(`Cloud Run: ${round(m, 3)} GiB needs ${c} vCPU`);
    }
    if (m < RUN_MEM[c][0]) {
      m = RUN_MEM[c][0];
      rules.push(`Cloud Run: ${c} vCPU needs at least ${m} GiB`);
    }
    m = Math.min(m, RUN_MEM[c][1]);
  }
  return { fargate: f, run: { cpu: round(c, 3), memGiB: round(m, 3) }, rules: [...new Set(rules)] };
}

// ---- VM choice ---------------------------------------------------------------------------------

const AWS_VM_FAMILIES = ['t3', 'm6i', 'c6i', 'r6i'];
const GCP_VM_FAMILIES = ['e2', 'n2'];
/** GPU VMs with the same GPU on both clouds, NVIDIA L4: EC2 G6 and Compute Engine G2. */
const AWS_GPU_FAMILIES = ['g6'];
const GCP_GPU_FAMILIES = ['g2'];

export function gcpMachineHourly(snap: Snapshot, region: string, type: string): number | undefined {
  return snap.price('gcp', region, `compute/machine/${type}`)?.usd;
}

/** Where sizing reads prices to pick the cheapest fit, so that a type does not change with the region. */
export const SIZING_REGION: Record<Provider, string> = { aws: 'us-east-1', gcp: 'us-central1' };

/**
 * The cheapest instance type that holds `cpu` and `memGiB` (headroom already applied), among
 * current general, compute and memory families. Prices come from the snapshot's default region
 * so the choice is stable; a region without prices still gets a type, reported as unpriced.
 * `windows`: only types with a published Windows price on AWS (licence included) are candidates
 * when any fits.
 */
export function chooseVm(snap: Snapshot, provider: Provider, cpu: number, memGiB: number, gpus = 0, windows = false, cluster = false): string | undefined {
  if (provider === 'aws') {
    // EMR runs no burstable (T) instances.
    const fams = gpus > 0 ? AWS_GPU_FAMILIES : cluster ? AWS_VM_FAMILIES.filter((f) => !f.startsWith('t')) : AWS_VM_FAMILIES;
    const fits = Object.entries(snap.shapes.aws).filter(([n, s]) => fams.includes(s.family ?? '') && !/^(db|cache|kafka|mq)\./.test(n) && !n.endsWith('.search') && s.vcpu + 1e-9 >= cpu && s.memoryGiB + 1e-9 >= memGiB && (s.gpus ?? 0) >= gpus);
    const key = (n: string) => (windows ? `ec2/windows/${n}` : `ec2/${n}`);
    return cheapest(fits.map(([n, s]) => [n, snap.price('aws', SIZING_REGION.aws, key(n))?.usd, s.vcpu * 100 + s.memoryGiB] as const));
  }
  const fams = gpus > 0 ? GCP_GPU_FAMILIES : GCP_VM_FAMILIES;
  // Dataproc runs no shared-core machine (e2-micro, e2-small, e2-medium).
  const fits = Object.entries(snap.shapes.gcp).filter(([n, s]) => fams.includes(s.family ?? '') && !s.deprecated && !n.includes('custom') && !(cluster && /^e2-(micro|small|medium)$/.test(n)) && s.vcpu + 1e-9 >= cpu && s.memoryGiB + 1e-9 >= memGiB && (s.gpus ?? 0) >= gpus && (s.regions?.includes(SIZING_REGION.gcp) ?? true));
  return cheapest(fits.map(([n, s]) => [n, gcpMachineHourly(snap, SIZING_REGION.gcp, n), s.vcpu * 100 + s.memoryGiB] as const));
}

function cheapest(c: readonly (readonly [string, number | undefined, number])[]): string | undefined {
  const sorted = [...c].sort((a, b) => (a[1] ?? Infinity) - (b[1] ?? Infinity) || a[2] - b[2] || (a[0] < b[0] ? -1 : 1));
  return sorted[0]?.[0];
}

function vmUsage(provider: Provider, type: string | undefined, count: number, label: string, windows = false): Usage[] {
  if (!type) return [{ resource: `${label} (no instance type fits)`, quantity: count * HOURS, unit: 'instance-hour', priceKey: `${provider}/vm/none` }];
  if (provider === 'aws') return [{ resource: `${type} ${label}${windows ? ' (Windows, licence included)' : ''}`, quantity: round(count * HOURS, 4), unit: 'instance-hour', priceKey: windows ? `ec2/windows/${type}` : `ec2/${type}` }];
  const usage: Usage[] = [{ resource: `${type} ${label}`, quantity: round(count * HOURS, 4), unit: 'instance-hour', priceKey: `compute/machine/${type}` }];
  if (windows) usage.push({ resource: `Windows Server licence on ${type}`, quantity: round(count * HOURS, 4), unit: 'instance-hour', priceKey: `compute/windows-licence/${type}` });
  return usage;
}

// ---- Schedules ---------------------------------------------------------------------------------

function cronFieldCount(field: string, min: number, max: number): number | undefined {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    let [lo, hi] = [min, max];
    if (m[1] !== '*') {
      const [a, b] = m[1].split('-').map(Number);
      lo = a;
      hi = b ?? (m[2] ? max : a);
    }
    const step = m[2] ? Number(m[2]) : 1;
    if (step <= 0 || lo < min || hi > max || lo > hi) return undefined;
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values.size;
}

/**
 * Runs per month of a schedule: 5-field cron, `@hourly`-style macros, or AWS `rate(…)`/`cron(…)`.
 * Undefined when the schedule cannot be read (the caller states its default).
 */
export function runsPerMonth(schedule: string): number | undefined {
  const s = schedule.trim();
  const macros: Record<string, number> = table({ '@yearly': 1 / 12, '@annually': 1 / 12, '@monthly': 1, '@weekly': DAYS / 7, '@daily': DAYS, '@midnight': DAYS, '@hourly': HOURS });
  if (macros[s] !== undefined) return round(macros[s], 2);
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/i.exec(s);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2].toLowerCase();
    const perHour = unit.startsWith('minute') ? 60 / n : unit.startsWith('hour') ? 1 / n : 1 / (24 * n);
    return round(perHour * HOURS, 2);
  }
  const awsCron = /^cron\((.+)\)$/i.exec(s);
  const fields = (awsCron ? awsCron[1] : s).split(/\s+/);
  if (fields.length < 5) return undefined;
  const [mi, h, dom, mo, dow] = fields;
  const nMin = cronFieldCount(mi, 0, 59);
  const nHour = cronFieldCount(h, 0, 23);
  if (nMin === undefined || nHour === undefined) return undefined;
  const q = (f: string) => f === '*' || f === '?';
  const nDom = q(dom) ? 31 : cronFieldCount(dom, 1, 31);
  const nMon = q(mo) ? 12 : cronFieldCount(mo, 1, 12);
  const nDow = q(dow) ? 7 : cronFieldCount(dow.replace(/[A-Z]{3}/gi, '1'), 0, 7);
  if (nDom === undefined || nMon === undefined || nDow === undefined) return undefined;
  let daysPerMonth: number;
  if (q(dom) && q(dow)) daysPerMonth = DAYS;
  else if (q(dom)) daysPerMonth = (DAYS * Math.min(nDow, 7)) / 7;
  else if (q(dow)) daysPerMonth = Math.min(nDom, DAYS);
  else daysPerMonth = Math.min(DAYS, nDom + (DAYS * nDow) / 7);
  return round(nMin * nHour * daysPerMonth * (nMon / 12), 2);
}

// ---- The sizer ----------------------------------------------------------------------------------

const GEN1_GHZ: [number, number][] = [[128, 0.2], [256, 0.4], [512, 0.8], [1024, 1.4], [2048, 2.4], [4096, 4.8], [8192, 4.8]];

function fmt(n: number): string {
  return String(round(n, 3));
}

/**
 * Does this workload answer requests: a service with a port (its number known or set by a variable
 * unset here), or one a proxy routes requests to?
 */
export function servesHttp(w: Workload): boolean {
  return w.kind === 'service' && (w.ports.length > 0 || w.traits.some((t) => t.name === 'http.proxied' || t.name === 'http.referenced' || t.name === 'port.unresolved'));
}

/** HTTP services bill by request on Cloud Run; workers, which have no requests to wake them, by instance. */
export function runBillingOf(w: Workload): RunBilling {
  return servesHttp(w) ? 'request' : 'instance';
}

/** What the headroom is added to (stated requests), and which stated limits are used as they are; undefined when nothing was declared. */
function headroomNote(d: Demand, headroom: number): string | undefined {
  if (!d.cpuDeclared && !d.memDeclared) return undefined;
  const both = (a: boolean, b: boolean) => (a && b ? 'CPU and memory' : a ? 'CPU' : 'memory');
  const grown = d.cpuDeclared && !d.cpuCap || d.memDeclared && !d.memCap;
  const capped = d.cpuDeclared && d.cpuCap || d.memDeclared && d.memCap;
  const notes: string[] = [];
  if (grown) notes.push(`headroom ${Math.round(headroom * 100)}% on the declared ${both(d.cpuDeclared && !d.cpuCap, d.memDeclared && !d.memCap)}`);
  if (capped) notes.push(`the ${both(d.cpuDeclared && d.cpuCap, d.memDeclared && d.memCap)} as stated, no headroom: a limit or a fixed size (a dyno, an instance class) is already the most it may use`);
  return notes.join('; ');
}

/** The factors a stated CPU and memory grow by: the headroom on a request, none on a limit or a default. */
function growth(d: Demand, h: number): { cpu: number; mem: number } {
  return { cpu: d.cpuDeclared && !d.cpuCap ? h : 1, mem: d.memDeclared && !d.memCap ? h : 1 };
}

/** A workload's demand with headroom on the figures a descriptor stated (never on assumed defaults). */
function withHeadroom(d: Demand, headroom: number, basis: string[]): { cpu: number; memGiB: number } {
  const g = growth(d, 1 + headroom);
  basis.push(headroomNote(d, headroom) ?? 'no headroom: the size is the stated default');
  return { cpu: d.cpu * g.cpu, memGiB: d.memGiB * g.mem };
}

function sizeContainer(w: Workload, d: Demand, provider: Provider, o: SizingOptions, basis: string[], out: Out, workerNote?: string): SizedTarget {
  const want = withHeadroom(d, o.headroom, basis);
  // A demand larger than the biggest task or instance is spread over several.
  const split = Math.max(1, Math.ceil(Math.max(want.cpu / 8, want.memGiB / 32) - 1e-9));
  if (split > 1) {
    basis.push(`split over ${split} tasks / instances per replica (Cloud Run's largest instance is 8 vCPU / 32 GiB)`);
    want.cpu /= split;
    want.memGiB /= split;
    d.replicas *= split;
  }
  // An HTTP service below 1 vCPU bills by request (Cloud Run allows a fraction of a vCPU only so);
  // from 1 vCPU up it runs always on, by instance, like the Fargate task it is compared with.
  const fits = runBillingOf(w);
  const billing: RunBilling = fits === 'request' && fargateTask(want.cpu, want.memGiB).cpu < 1 ? 'request' : 'instance';
  const shapes = containerShapes(want.cpu, want.memGiB, billing === 'request');
  const n = d.replicas;
  if (provider === 'aws') {
    const t = shapes.fargate;
    const sized = out({ summary: `${n} task${n === 1 ? '' : 's'} × ${fmt(t.cpu)} vCPU / ${fmt(t.memGiB)} GB`, count: n, vcpu: t.cpu, memoryGiB: t.memGiB }, [
      { scales: true, resource: 'Fargate vCPU (Linux/x86)', quantity: round(n * t.cpu * HOURS, 4), unit: 'vcpu-hour', priceKey: 'fargate/linux-x86/vcpu-hour' },
      { scales: true, resource: 'Fargate memory', quantity: round(n * t.memGiB * HOURS, 4), unit: 'gb-hour', priceKey: 'fargate/linux-x86/gb-hour' },
    ]);
    // A worker answers no requests: no load balancer in front of it (the plan prices none for it either).
    return fits === 'instance' && workerNote ? { ...sized, note: workerNote } : sized;
  }
  if (billing === 'instance' && fits === 'instance' && shapes.fargate.cpu < 1 && o.smallWorkersOnGcp === 'gke-autopilot') return sizeAutopilot(shapes.fargate, n, basis, out);
  const c = shapes.run;
  basis.push(...shapes.rules);
  basis.push(billing === 'request'
    ? 'Cloud Run request-based billing (an HTTP service below 1 vCPU; concurrency 1), priced as if its minimum instances were busy all month: an upper bound'
    : fits === 'request'
      ? 'Cloud Run instance-based billing: an HTTP service of 1 vCPU or more kept always on, like the Fargate task'
      : 'Cloud Run instance-based billing (a worker with no requests to wake it), always on');
  const secs = n * HOURS * 3600;
  const tier = billing === 'request' ? 'request' : 'instance';
  const label = billing === 'request' ? 'request-based' : 'instance-based';
  return out({ summary: `${n} min instance${n === 1 ? '' : 's'} × ${fmt(c.cpu)} vCPU / ${fmt(c.memGiB)} GiB, ${label} billing`, count: n, vcpu: c.cpu, memoryGiB: c.memGiB }, [
    { scales: true, resource: `Cloud Run vCPU (${label})`, quantity: round(secs * c.cpu, 4), unit: 'vcpu-second', priceKey: `run/${tier}/vcpu-second` },
    { scales: true, resource: `Cloud Run memory (${label})`, quantity: round(secs * c.memGiB, 4), unit: 'gib-second', priceKey: `run/${tier}/gib-second` },
  ]);
}

/** GKE Autopilot's general-purpose pods: between 1 and 6.5 GiB of memory per vCPU requested. */
const AUTOPILOT_GIB_PER_VCPU: [number, number] = [1, 6.5];

/**
 * An always-on worker below 1 vCPU on GKE Autopilot, billed by its pod's requests: the Fargate
 * task's vCPU and memory, raised only as Autopilot's memory-to-CPU ratio requires.
 */
function sizeAutopilot(task: { cpu: number; memGiB: number }, n: number, basis: string[], out: Out): SizedTarget {
  let cpu = task.cpu;
  let mem = task.memGiB;
  const [lo, hi] = AUTOPILOT_GIB_PER_VCPU;
  if (mem / cpu > hi) {
    cpu = round(mem / hi, 3);
    basis.push(`GKE Autopilot: ${fmt(mem)} GiB needs at least ${fmt(cpu)} vCPU (at most ${hi} GiB per vCPU)`);
  } else if (mem / cpu < lo) {
    mem = cpu * lo;
    basis.push(`GKE Autopilot: ${fmt(cpu)} vCPU needs at least ${fmt(mem)} GiB (at least ${lo} GiB per vCPU)`);
  }
  basis.push('GKE Autopilot, billed by the pod\'s requests: a fraction of a vCPU, like the Fargate task (Cloud Run bills an always-on worker by instance, from a whole vCPU up)');
  const sized = out({ summary: `${n} pod${n === 1 ? '' : 's'} × ${fmt(cpu)} vCPU / ${fmt(mem)} GiB`, count: n, vcpu: cpu, memoryGiB: mem }, [
    { scales: true, resource: 'GKE Autopilot pod vCPU', quantity: round(n * cpu * HOURS, 4), unit: 'vcpu-hour', priceKey: 'gke-autopilot/vcpu-hour' },
    { scales: true, resource: 'GKE Autopilot pod memory', quantity: round(n * mem * HOURS, 4), unit: 'gb-hour', priceKey: 'gke-autopilot/gb-hour' },
  ]);
  return { ...sized, service: 'gcp.gke-autopilot', note: 'GKE Autopilot Deployment, billed per pod request' };
}

/** Whether a workload is an always-on worker that Cloud Run would bill from a whole vCPU while Fargate runs it on less. */
export function isFractionalWorker(w: Workload, o: SizingOptions): boolean {
  if (runBillingOf(w) === 'request') return false;
  const want = withHeadroom(demandOf(w, o, true), o.headroom, []);
  return fargateTask(want.cpu, want.memGiB).cpu < 1;
}

/**
 * The assumed length of a run, never longer than the time between runs: a job every 5 minutes
 * does not run 10 minutes each time (at most it runs all month, like a worker).
 */
function minutesPerRun(runs: number, assumed: number): number {
  const between = (HOURS * 60) / Math.max(runs, 1e-9);
  return between < assumed ? round(between, 3) : assumed;
}

function sizeJob(w: Workload, d: Demand, provider: Provider, o: SizingOptions, basis: string[], out: Out): SizedTarget {
  const want = withHeadroom(d, o.headroom, basis);
  const { runs: n, minutes } = jobRuns(w, o, basis);
  const hours = (n * minutes) / 60;
  // Cloud Run jobs may run below 1 vCPU, so the Fargate task's shape fits both.
  const shapes = containerShapes(want.cpu, want.memGiB, true);
  if (provider === 'aws') {
    const t = shapes.fargate;
    return out({ summary: `${fmt(n)} run${n === 1 ? '' : 's'} × ${fmt(minutes)} min, ${fmt(t.cpu)} vCPU / ${fmt(t.memGiB)} GB task`, count: d.replicas, vcpu: t.cpu, memoryGiB: t.memGiB }, [
      { resource: 'Fargate vCPU (run-to-completion task)', quantity: round(hours * t.cpu * d.replicas, 4), unit: 'vcpu-hour', priceKey: 'fargate/linux-x86/vcpu-hour' },
      { resource: 'Fargate memory (run-to-completion task)', quantity: round(hours * t.memGiB * d.replicas, 4), unit: 'gb-hour', priceKey: 'fargate/linux-x86/gb-hour' },
    ]);
  }
  const c = shapes.run;
  basis.push(...shapes.rules);
  return out({ summary: `${fmt(n)} run${n === 1 ? '' : 's'} × ${fmt(minutes)} min, ${fmt(c.cpu)} vCPU / ${fmt(c.memGiB)} GiB task`, count: d.replicas, vcpu: c.cpu, memoryGiB: c.memGiB }, [
    { resource: 'Cloud Run jobs vCPU', quantity: round(hours * 3600 * c.cpu * d.replicas, 4), unit: 'vcpu-second', priceKey: 'run/instance/vcpu-second' },
    { resource: 'Cloud Run jobs memory', quantity: round(hours * 3600 * c.memGiB * d.replicas, 4), unit: 'gib-second', priceKey: 'run/instance/gib-second' },
  ]);
}

type Out = (sizing: Omit<Sizing, 'basis'>, usage: Usage[]) => SizedTarget;

/** Everything one sizing decision may look at. */
interface SizeCtx {
  w: Workload;
  d: Demand;
  provider: Provider;
  o: SizingOptions;
  basis: string[];
  out: Out;
  def: TargetClassDef;
  service: string;
  note?: string;
  snap: Snapshot;
  targetClass: string;
  /** 1 + headroom. */
  h: number;
  model: string;
}

type Sizer = (x: SizeCtx) => SizedTarget | undefined;

/** Size a classified workload for one provider. Returns undefined for retained/retired workloads. */
/** How a target class is sized on one provider: its side's own model, else the class's. */
export function sizingModelOf(def: TargetClassDef, provider: Provider): SizingModel {
  return def[provider].sizing ?? def.sizing;
}

export function sizeTarget(w: Workload, targetClass: string, provider: Provider, snap: Snapshot, o: SizingOptions): SizedTarget | undefined {
  const def = TARGET_CLASSES[targetClass];
  if (!def) return undefined;
  const { service, note } = def[provider];
  const model = sizingModelOf(def, provider);
  const d = demandOf(w, o, model !== 'database');
  const basis = [...d.basis];
  const out: Out = (sizing, usage) => ({ service, note, sizing: { ...sizing, basis }, usage });
  const sizer = SIZERS[model] ?? sizeUsageBased;
  return sizer({ w, d, provider, o, basis, out, def, service, note, snap, targetClass, h: 1 + o.headroom, model });
}

const SIZERS: Record<string, Sizer> = table({
  container: (x) => sizeContainer(x.w, x.d, x.provider, x.o, x.basis, x.out, x.def[x.provider].workerNote),
  job: (x) => sizeJob(x.w, x.d, x.provider, x.o, x.basis, x.out),
  replaced: (x) => {
    x.basis.splice(0, x.basis.length, 'nothing to size: the managed service replaces it');
    return x.out({ summary: 'replaced by the managed service; usage-billed, not estimated here' }, []);
  },
  included: (x) => {
    x.basis.splice(0, x.basis.length, 'nothing to size: it runs inside the managed environment planned with another workload, priced there once');
    return x.out({ summary: 'runs inside the managed environment, priced once there' }, []);
  },
  vm: sizeVm,
  'gpu-vm': sizeVm,
  function: sizeFunction,
  database: sizeDatabase,
  cache: sizeCache,
  cluster: sizeCluster,
  storage: sizeStorage,
  'static-site': sizeStaticSite,
  'data-lake': sizeDataLake,
  workflow: sizeWorkflowEnvironment,
  pod: sizePod,
});

/**
 * A managed Airflow environment, always on: MWAA's smallest class (mw1.small), a small Cloud
 * Composer 3 environment. Its size depends on the DAGs' load, which no descriptor states.
 */
function sizeWorkflowEnvironment(x: SizeCtx): SizedTarget | undefined {
  const { provider, basis, out } = x;
  const aws = provider === 'aws';
  basis.splice(0, basis.length, `${aws ? 'the smallest environment class, mw1.small' : 'a small Cloud Composer 3 environment'} (assumed: its size depends on the DAGs' load, which the descriptors do not state), always on`);
  return out({ summary: aws ? '1 environment, mw1.small' : '1 environment, small' }, [
    { resource: aws ? 'MWAA environment (mw1.small)' : 'Cloud Composer 3 environment (small)', quantity: 730, unit: 'hour', priceKey: aws ? 'mwaa/environment/small/hour' : 'composer/environment/small/hour' },
  ]);
}

/**
 * A function that only a schedule triggers runs as often as its schedules say (`rate(1 day)`: 30 a
 * month), not the assumed request volume. Undefined when another event triggers it too, or a
 * schedule cannot be read.
 */
function scheduledInvocations(w: Workload): { perMonth: number; why: string } | undefined {
  const events = w.traits.filter((t) => t.name === 'serverless.event');
  const schedules = w.traits.filter((t) => t.name === 'schedule');
  if (schedules.length === 0 || events.length === 0 || events.some((t) => t.value !== 'schedule')) return undefined;
  let total = 0;
  for (const sch of schedules) {
    const runs = runsPerMonth(String(sch.value));
    if (runs === undefined) return undefined;
    total += runs;
  }
  return { perMonth: Math.max(1, Math.round(total)), why: schedules.map((t) => `${String(t.value)}, ${where(t.source)}`).join('; ') };
}

/** Lambda / Cloud Functions (1st gen): GB-seconds and requests from the configured invocations, or from a schedule. */
function sizeFunction(x: SizeCtx): SizedTarget | undefined {
  const { w, provider, o, basis, out } = x;
  const memMiB = w.resources.memoryMiB?.value ?? 1024;
  const scheduled = scheduledInvocations(w);
  const inv = scheduled?.perMonth ?? o.functionInvocationsPerMonth;
  const durS = Math.min(o.functionDurationMs / 1000, w.resources.timeoutSeconds?.value ?? Infinity);
  basis.splice(0, 2, `memory ${memMiB} MB (${w.resources.memoryMiB ? where(w.resources.memoryMiB.source) : 'default 1024 MB: Serverless Framework default'})`);
  basis.push(scheduled
    ? `${inv.toLocaleString('en-US')} invocations/month from its schedule (${scheduled.why}) × ${durS * 1000} ms (default: set sizing.functionDurationMs)`
    : `${inv.toLocaleString('en-US')} invocations/month × ${durS * 1000} ms (defaults: set sizing.functionInvocationsPerMonth / functionDurationMs)`);
  const gbS = round(inv * durS * (memMiB / 1024), 4);
  if (provider === 'aws') {
    return out({ summary: `${memMiB} MB, ${inv.toLocaleString('en-US')} invocations/month`, memoryGiB: memMiB / 1024 }, [
      { scales: true, resource: 'Lambda duration (x86)', quantity: gbS, unit: 'gb-second', priceKey: 'lambda/x86/gb-second/tier1' },
      { scales: true, resource: 'Lambda requests', quantity: round(inv / 1e6, 6), unit: 'million-requests', priceKey: 'lambda/requests/million' },
    ]);
  }
  const ghz = (GEN1_GHZ.find(([m]) => m >= memMiB) ?? GEN1_GHZ[GEN1_GHZ.length - 1])[1];
  return out({ summary: `${memMiB} MB (${ghz} GHz), ${inv.toLocaleString('en-US')} invocations/month`, memoryGiB: memMiB / 1024 }, [
    { scales: true, resource: 'Cloud Functions memory', quantity: gbS, unit: 'gb-second', priceKey: 'functions/gen1/gb-second' },
    { scales: true, resource: 'Cloud Functions CPU', quantity: round(inv * durS * ghz, 4), unit: 'ghz-second', priceKey: 'functions/gen1/ghz-second' },
    { scales: true, resource: 'Cloud Functions invocations', quantity: round(inv / 1e6, 6), unit: 'million-requests', priceKey: 'functions/gen1/invocations-million' },
  ]);
}

/** RDS engine codes of the snapshot (databaseEngine + databaseEdition + licenseModel). */
const RDS_ENGINE_CODE: Record<string, string> = table({
  postgresql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlserver: 'sqlserver-se-li',
  oracle: 'oracle-ee-byol',
  db2: 'db2',
});
const RDS_ENGINE_LABEL: Record<string, string> = table({
  'sqlserver-se-li': 'SQL Server Standard, licence included',
  'oracle-ee-byol': 'Oracle Enterprise, bring your own licence',
  db2: 'Db2',
});
/** Current instance families of the managed services (previous generations are not proposed). */
const MANAGED_FAMILIES = new Set(['t3', 't4g', 'm5', 'm6g', 'm6i', 'm7g', 'r5', 'r6g', 'r6i', 'r7g']);

const classMemo = new WeakMap<object, Map<string, string[]>>();
/** The current-generation classes of a managed service (`db.`, `cache.`), from the snapshot's shapes; computed once per snapshot. */
function classesOf(snap: Snapshot, prefix: string): string[] {
  let memo = classMemo.get(snap.shapes);
  if (!memo) classMemo.set(snap.shapes, (memo = new Map()));
  let out = memo.get(prefix);
  if (!out) memo.set(prefix, (out = Object.keys(snap.shapes.aws).filter((n) => n.startsWith(prefix) && MANAGED_FAMILIES.has(n.slice(prefix.length).split('.')[0]))));
  return out;
}

/** Storage of a datastore: declared, or the stated default. */
function storageOf(d: Demand, fallback: number, basis: string[], what: string): number {
  if (d.storageGiB !== undefined) return d.storageGiB;
  basis.push(`${what} storage ${fallback} GiB (default: not declared; set sizing.databaseStorageGiB or declare it)`);
  return fallback;
}

interface SharedCoreTier {
  name: string;
  key: string;
  share: number;
  memoryGB: number;
}
/** Cloud SQL's shared-core tiers (MySQL and PostgreSQL only), per the Cloud SQL machine-type documentation. */
const CLOUD_SQL_SHARED: SharedCoreTier[] = [
  { name: 'db-f1-micro', key: 'micro', share: 0.2, memoryGB: 0.6 },
  { name: 'db-g1-small', key: 'small', share: 0.5, memoryGB: 1.7 },
];

/**
 * A database whose declared CPU and memory fit a shared-core tier gets one, as RDS gets a burstable
 * db.t3/t4g class: the two sides are sized alike instead of a 1 vCPU / 3.75 GB instance against a
 * 1 GiB one. Only for a stated memory; the 2 vCPU / 4 GiB default stays dedicated.
 */
function sharedCoreTier(engine: string, w: Workload, cpu: number, mem: number): SharedCoreTier | undefined {
  if ((engine !== 'mysql' && engine !== 'postgresql') || !w.resources.memoryMiB) return undefined;
  // With memory stated and CPU not, the memory decides (RDS's burstable classes have 2 vCPUs whatever is asked).
  return CLOUD_SQL_SHARED.find((t) => (!w.resources.cpu || cpu <= t.share + 1e-9) && mem <= t.memoryGB + 1e-9);
}

/** A managed database: the cheapest instance class that fits, storage, or the default 2 vCPU / 4 GiB. */
function sizeDatabase(x: SizeCtx): SizedTarget | undefined {
  const { w, d, provider, basis, out, def, service, snap, h, o } = x;
  const engine = def[provider].engine ?? def.engine ?? 'postgresql';
  // Declared figures get headroom; the default is already a whole instance size.
  const g = growth(d, h);
  const cpu = w.resources.cpu ? d.cpu * g.cpu : 2;
  const mem = w.resources.memoryMiB ? d.memGiB * g.mem : 4;
  if (!w.resources.cpu || !w.resources.memoryMiB) basis.push('database default: 2 vCPU / 4 GiB where not declared');
  const storage = storageOf(d, o.databaseStorageGiB, basis, 'database');
  const usage: Usage[] = [];
  let summary: string;
  let instanceType: string | undefined;
  if (provider === 'aws') {
    const code = RDS_ENGINE_CODE[engine] ?? engine;
    const key = (n: string) => `rds/${n}/${code}/single-az`;
    const fits = classesOf(snap, 'db.').filter((n) => snap.shapes.aws[n].vcpu + 1e-9 >= cpu && snap.shapes.aws[n].memoryGiB + 1e-9 >= mem);
    instanceType = cheapest(fits.map((n) => [n, snap.price('aws', SIZING_REGION.aws, key(n))?.usd, snap.shapes.aws[n].vcpu * 100 + snap.shapes.aws[n].memoryGiB] as const));
    const label = RDS_ENGINE_LABEL[code] ?? engine;
    // Say so when the two sides are not the same kind of capacity: a burstable class against dedicated vCPUs.
    if (instanceType?.startsWith('db.t') && def.gcp.service === 'gcp.cloud-sql' && !sharedCoreTier(def.gcp.engine ?? def.engine ?? 'postgresql', w, cpu, mem)) {
      basis.push(`${instanceType} is a burstable class (its vCPUs run at a baseline and burst on CPU credits); Cloud SQL has no burstable class this size, so the GCP side's vCPUs are dedicated: compare with that in mind`);
    }
    summary = `${instanceType ?? 'no known class fits'} ${label}, Single-AZ, ${fmt(storage)} GiB gp3`;
    usage.push({ resource: `RDS ${instanceType ?? '?'} ${label} Single-AZ`, quantity: HOURS, unit: 'instance-hour', priceKey: key(instanceType ?? 'none') });
    usage.push({ resource: 'RDS gp3 storage (Single-AZ)', quantity: round(storage, 2), unit: 'gb-month', priceKey: 'rds/storage/gp3/gb-month' });
  } else if (service === 'gcp.cloud-sql' && sharedCoreTier(engine, w, cpu, mem)) {
    const tier = sharedCoreTier(engine, w, cpu, mem) as SharedCoreTier;
    basis.push(`${tier.name}: a shared-core tier (${tier.share} vCPU share, ${tier.memoryGB} GB), the counterpart of RDS's burstable classes for a database this small; shared-core instances have no Cloud SQL SLA`);
    summary = `${tier.name} (shared core, ${tier.memoryGB} GB) ${engine}, zonal, ${fmt(storage)} GB SSD`;
    usage.push({ resource: `Cloud SQL ${tier.name} (shared core, zonal)`, quantity: HOURS, unit: 'instance-hour', priceKey: `cloudsql/shared/${tier.key}/zonal` });
    usage.push({ resource: 'Cloud SQL SSD storage (zonal)', quantity: round(storage, 2), unit: 'gb-month', priceKey: 'cloudsql/storage/ssd/gb-month' });
  } else if (service === 'gcp.cloud-sql') {
    const vcpu = Math.max(1, Math.ceil(cpu));
    const memG = round(Math.min(Math.max(mem, 0.9 * vcpu, 3.75), 6.5 * vcpu), 2);
    summary = `${vcpu} vCPU / ${memG} GB ${engine}, zonal, ${fmt(storage)} GB SSD`;
    usage.push({ resource: 'Cloud SQL vCPU (Enterprise, zonal)', quantity: vcpu * HOURS, unit: 'vcpu-hour', priceKey: 'cloudsql/enterprise-zonal/vcpu-hour' });
    usage.push({ resource: 'Cloud SQL memory (Enterprise, zonal)', quantity: round(memG * HOURS, 4), unit: 'gb-hour', priceKey: 'cloudsql/enterprise-zonal/gb-hour' });
    if (engine !== 'postgresql' && engine !== 'mysql') usage.push({ resource: `Cloud SQL ${engine} licence`, quantity: vcpu * HOURS, unit: 'vcpu-hour', priceKey: `cloudsql/licence/${engine}` });
    usage.push({ resource: 'Cloud SQL SSD storage (zonal)', quantity: round(storage, 2), unit: 'gb-month', priceKey: 'cloudsql/storage/ssd/gb-month' });
  } else {
    const vcpu = Math.max(2, Math.ceil(cpu));
    const label = service.replace('gcp.', '');
    summary = `${vcpu} vCPU primary instance`;
    usage.push({ resource: `${label} vCPU`, quantity: vcpu * HOURS, unit: 'vcpu-hour', priceKey: `${label}/vcpu-hour` });
    usage.push({ resource: `${label} storage`, quantity: round(storage, 2), unit: 'gb-month', priceKey: `${label}/storage/gb-month` });
  }
  return out({ summary, instanceType, storageGiB: storage, vcpu: cpu, memoryGiB: mem }, usage);
}

/** Memorystore for Redis capacity tiers: M1 1–4 GB, M2 5–10, M3 11–35, M4 36–100, M5 above. */
export function memorystoreTier(gb: number): string {
  return gb <= 4 ? 'm1' : gb <= 10 ? 'm2' : gb <= 35 ? 'm3' : gb <= 100 ? 'm4' : 'm5';
}

/** A managed cache: the smallest node (AWS) or capacity and its tier (GCP) that holds the memory. */
function sizeCache(x: SizeCtx): SizedTarget | undefined {
  const { w, d, provider, basis, out, def, snap, h } = x;
  const memG = w.resources.memoryMiB ? d.memGiB * growth(d, h).mem : 1;
  if (!w.resources.memoryMiB) basis.push('cache default: 1 GiB where not declared');
  const engine = def.engine ?? 'redis';
  if (provider === 'aws') {
    const key = (n: string) => `elasticache/${engine}/${n}`;
    const type = smallestOffered(snap, classesOf(snap, 'cache.'), 0, memG, key);
    return out({ summary: `1 × ${type ?? 'no known node fits'} node (${engine === 'redis' ? 'Redis OSS' : 'Memcached'})`, instanceType: type, count: 1, memoryGiB: memG }, [
      { resource: `ElastiCache ${type ?? '?'} node (${engine === 'redis' ? 'Redis OSS' : 'Memcached'})`, quantity: HOURS, unit: 'instance-hour', priceKey: key(type ?? 'none') },
    ]);
  }
  const cap = Math.max(1, Math.ceil(memG));
  if (engine !== 'redis') {
    return out({ summary: `${cap} GB Memcached instance`, memoryGiB: cap }, [
      { resource: 'Memorystore for Memcached capacity', quantity: cap * HOURS, unit: 'gb-hour', priceKey: 'memorystore-memcached/gb-hour' },
    ]);
  }
  const tier = memorystoreTier(cap);
  basis.push(`Memorystore for Redis Basic tier, capacity tier ${tier.toUpperCase()} (${cap} GB)`);
  return out({ summary: `${cap} GB Basic tier instance (${tier.toUpperCase()})`, memoryGiB: cap }, [
    { resource: `Memorystore for Redis, Basic tier ${tier.toUpperCase()}`, quantity: cap * HOURS, unit: 'gb-hour', priceKey: `memorystore-redis/basic/${tier}/gb-hour` },
  ]);
}

/** A broker or node count for a cluster service: the replicas, at least `min`. */
function nodesOf(d: Demand, min: number, basis: string[], what: string): number {
  const n = Math.max(min, d.replicas);
  if (n > d.replicas) basis.push(`${n} ${what} (the service's minimum)`);
  return n;
}

const SIZES8 = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'];

/**
 * Node-based managed services on AWS and the classes each offers (DocumentDB and Amazon MQ do not
 * offer every RDS / EC2 class); OpenSearch offers every `.search` class of the snapshot.
 */
const AWS_NODE_SERVICES: Record<string, { classes?: string[]; suffix?: string; key: (n: string) => string; min: number; what: string; storage?: string; label: string }> = {
  'aws.opensearch': { suffix: '.search', key: (n) => `opensearch/${n}`, min: 1, what: 'data nodes', storage: 'opensearch/storage/gp3/gb-month', label: 'OpenSearch' },
  'aws.msk': { classes: ['kafka.t3.small', ...SIZES8.map((x) => `kafka.m5.${x}`)], key: (n) => `msk/${n}`, min: 2, what: 'brokers (one per availability zone)', storage: 'msk/storage/gb-month', label: 'MSK broker' },
  'aws.documentdb': { classes: ['db.t3.medium', 'db.t4g.medium', ...SIZES8.map((x) => `db.r5.${x}`)], key: (n) => `documentdb/${n}`, min: 1, what: 'instances', storage: 'documentdb/storage/gb-month', label: 'DocumentDB instance' },
  'aws.amazon-mq': { classes: ['mq.t3.micro', 'mq.m5.large', 'mq.m5.xlarge', 'mq.m5.2xlarge', 'mq.m5.4xlarge'], key: (n) => `mq/rabbitmq/${n}/single-instance`, min: 1, what: 'brokers', storage: 'mq/rabbitmq/storage/gb-month', label: 'Amazon MQ for RabbitMQ broker' },
};

/** The classes a node service offers: its list, or every current `.search` class of the snapshot. */
function offeredClasses(snap: Snapshot, spec: { classes?: string[]; suffix?: string }): string[] {
  return spec.classes ?? Object.keys(snap.shapes.aws).filter((n) => n.endsWith(spec.suffix ?? '') && MANAGED_FAMILIES.has(n.split('.')[0]));
}

/** The declared CPU and memory with headroom; 0 where nothing was declared (the service's smallest class then). */
function declaredDemand(d: Demand, o: SizingOptions): { cpu: number; mem: number } {
  const g = growth(d, 1 + o.headroom);
  return { cpu: d.cpuDeclared ? d.cpu * g.cpu : 0, mem: d.memDeclared ? d.memGiB * g.mem : 0 };
}

/** The smallest offered class that fits (by vCPU, then memory), priced or not: never a larger one because it has a price. */
function smallestOffered(snap: Snapshot, names: string[], cpu: number, memGiB: number, keyOf: (n: string) => string): string | undefined {
  const shapes = snap.shapes.aws;
  const priceOf = (n: string) => snap.price('aws', SIZING_REGION.aws, keyOf(n))?.usd ?? Infinity;
  return names
    .filter((n) => shapes[n] && shapes[n].vcpu + 1e-9 >= cpu && shapes[n].memoryGiB + 1e-9 >= memGiB)
    .sort((a, b) => shapes[a].vcpu - shapes[b].vcpu || shapes[a].memoryGiB - shapes[b].memoryGiB || priceOf(a) - priceOf(b) || (a < b ? -1 : 1))[0];
}

/** A managed cluster service (search, Kafka, documents, brokers): nodes of a priced class, or usage. */
function sizeCluster(x: SizeCtx): SizedTarget | undefined {
  const { d, o, out, service, snap, provider, basis } = x;
  if (service === 'gcp.gke') return selfManagedPods(x);
  const usage = usageModel(x);
  if (usage) return usage;
  const spec = AWS_NODE_SERVICES[service];
  const { cpu, mem } = declaredDemand(d, o);
  if (spec && provider === 'aws') {
    const type = smallestOffered(snap, offeredClasses(snap, spec), cpu, mem, spec.key);
    basis.push(`${spec.label}: the smallest class the service offers that holds the ${d.cpuDeclared || d.memDeclared ? 'declared size' : 'workload'}`);
    const nodes = nodesOf(d, spec.min, basis, spec.what);
    const lines: Usage[] = [{ resource: `${spec.label} ${type ?? '?'} (${nodes} × ${HOURS} h)`, quantity: nodes * HOURS, unit: 'instance-hour', priceKey: spec.key(type ?? 'none') }];
    if (spec.storage) {
      const gib = storageOf(d, o.databaseStorageGiB, basis, spec.label);
      lines.push({ resource: `${spec.label} storage`, quantity: round(gib * (service === 'aws.documentdb' ? 1 : nodes), 2), unit: 'gb-month', priceKey: spec.storage });
    }
    return out({ summary: `${nodes} × ${type ?? 'no known class fits'}`, instanceType: type, count: nodes, vcpu: type ? snap.shapes.aws[type].vcpu : undefined, memoryGiB: type ? snap.shapes.aws[type].memoryGiB : undefined }, lines);
  }
  if (service === 'gcp.managed-kafka') return sizeManagedKafka(x, cpu, mem);
  const nodes = Math.max(1, d.replicas);
  const label = service.replace(/^(aws|gcp)\./, '');
  const lines: Usage[] = [{ resource: `${label} capacity (${nodes} node${nodes === 1 ? '' : 's'} × ${fmt(d.cpu)} vCPU / ${fmt(d.memGiB)} GiB)`, quantity: nodes * HOURS, unit: 'node-hour', priceKey: `${label}/node-hour` }];
  if (d.storageGiB) lines.push({ resource: `${label} storage`, quantity: round(d.storageGiB, 2), unit: 'gb-month', priceKey: `${label}/storage/gb-month` });
  return out({ summary: `${nodes} node${nodes === 1 ? '' : 's'} × ${fmt(d.cpu)} vCPU / ${fmt(d.memGiB)} GiB`, count: nodes, vcpu: d.cpu, memoryGiB: d.memGiB }, lines);
}

/**
 * A cluster service with no managed counterpart on GCP, self-managed on GKE: as many pods as the AWS
 * side has nodes, each holding the declared demand and no smaller than the AWS service's smallest
 * class (OpenSearch's is 2 vCPU / 2 GiB), never a 0.25 vCPU container default against it.
 */
function selfManagedPods(x: SizeCtx): SizedTarget | undefined {
  const { w, d, o, out, service, note, snap, basis, def } = x;
  const spec = AWS_NODE_SERVICES[def.aws.service];
  const { cpu, mem } = declaredDemand(d, o);
  // The service's smallest class is the floor; above it, the pods hold the declared demand (the AWS
  // side rounds up to a whole class, which GKE does not have to).
  const type = spec ? smallestOffered(snap, offeredClasses(snap, spec), 0, 0, spec.key) : undefined;
  if (!spec || !type) {
    const asPods = sizeTarget(w, 'orchestrator', 'gcp', snap, o);
    return asPods && { ...asPods, service, note };
  }
  const shape = snap.shapes.aws[type];
  const pods = Math.max(spec.min, d.replicas);
  const podCpu = Math.max(cpu, shape.vcpu);
  const podMem = Math.max(mem, shape.memoryGiB);
  const headroom = headroomNote(d, o.headroom);
  if (headroom) basis.push(headroom);
  const floor = `${spec.label}'s smallest class (${type}, ${shape.vcpu} vCPU / ${shape.memoryGiB} GiB)`;
  const above = podCpu > shape.vcpu || podMem > shape.memoryGiB;
  basis.push(`self-managed: ${pods} node${pods === 1 ? '' : 's'} of ${fmt(podCpu)} vCPU / ${fmt(podMem)} GiB: ${above ? `the declared size, at least ${floor}` : `no less than ${floor}`}, so that both clouds run the same capacity`);
  if (o.selfManagedOnGcp === 'vm') return selfManagedVms(x, pods, podCpu, podMem, spec);
  const { node, usage: lines } = podShare(snap, 'gcp', podCpu, podMem, pods, basis);
  if (spec.storage) {
    const gib = storageOf(d, o.databaseStorageGiB, basis, spec.label);
    lines.push({ resource: 'Persistent Disk balanced', quantity: round(gib * pods, 2), unit: 'gb-month', priceKey: 'pd/balanced/gb-month' });
  }
  return out({ summary: `${pods} pod${pods === 1 ? '' : 's'} × ${fmt(podCpu)} vCPU / ${fmt(podMem)} GiB on ${node} nodes`, count: pods, vcpu: podCpu, memoryGiB: podMem }, lines);
}

/** The same capacity on Compute Engine VMs, one per node, with their disks: no cluster to run it in. */
function selfManagedVms(x: SizeCtx, nodes: number, cpu: number, mem: number, spec: { label: string; storage?: string }): SizedTarget {
  const { d, o, out, snap, basis } = x;
  const type = chooseVm(snap, 'gcp', cpu, mem);
  basis.push(`on Compute Engine: ${nodes} VM${nodes === 1 ? '' : 's'} of ${type ?? 'no machine type that fits'}, as no other workload of the plan runs on GKE (a cluster for one ${spec.label} node would cost more than the node)`);
  const lines = vmUsage('gcp', type, nodes, `${spec.label} node`);
  if (spec.storage) {
    const gib = storageOf(d, o.databaseStorageGiB, basis, spec.label);
    lines.push({ resource: 'Persistent Disk balanced', quantity: round(gib * nodes, 2), unit: 'gb-month', priceKey: 'pd/balanced/gb-month' });
  }
  const shape = type ? snap.shapes.gcp[type] : undefined;
  const sized = out({ summary: `${nodes} × ${type ?? 'no machine type fits'}`, instanceType: type, count: nodes, vcpu: shape?.vcpu ?? cpu, memoryGiB: shape?.memoryGiB ?? mem }, lines);
  return { ...sized, service: 'gcp.compute-engine', note: `${spec.label} self-managed on Compute Engine VMs (no first-party search service on GCP; Elastic Cloud from the Marketplace is the managed option)` };
}

/**
 * Managed Service for Apache Kafka bills a cluster's vCPUs and memory (3 vCPU / 3 GiB at least) and
 * its storage; sized like the MSK brokers it is compared with (two of the same size, at least).
 */
function sizeManagedKafka(x: SizeCtx, cpu: number, mem: number): SizedTarget {
  const { d, o, out, basis } = x;
  const brokers = Math.max(2, d.replicas);
  const vcpu = Math.max(3, Math.ceil(brokers * Math.max(cpu, 2)));
  const gib = Math.max(3, Math.ceil(brokers * Math.max(mem, 2)));
  basis.push(`cluster of ${vcpu} vCPU / ${gib} GiB: ${brokers} brokers' worth, at least the service's 3 vCPU / 3 GiB`);
  const storage = storageOf(d, o.databaseStorageGiB, basis, 'Kafka');
  return out({ summary: `cluster of ${vcpu} vCPU / ${gib} GiB`, vcpu, memoryGiB: gib, storageGiB: storage }, [
    { resource: 'Managed Kafka vCPU', quantity: vcpu * HOURS, unit: 'vcpu-hour', priceKey: 'managed-kafka/vcpu-hour' },
    { resource: 'Managed Kafka memory', quantity: gib * HOURS, unit: 'gib-hour', priceKey: 'managed-kafka/gib-hour' },
    { resource: 'Managed Kafka storage', quantity: round(storage * brokers, 2), unit: 'gb-month', priceKey: 'managed-kafka/storage/gb-month' },
  ]);
}

/**
 * Services billed on usage, not on nodes: DynamoDB / Firestore (reads, writes, storage), SQS and
 * Pub/Sub (messages), CloudWatch Logs / Cloud Logging (volume). The assumptions are stated and
 * overridable in .migration.yaml (sizing.*).
 */
function usageModel(x: SizeCtx): SizedTarget | undefined {
  const { d, o, out, service, basis } = x;
  const reads = o.nosqlReadsPerMonth;
  const writes = o.nosqlWritesPerMonth;
  const msgs = o.messagesPerMonth;
  const nosql = () => {
    basis.splice(0, basis.length, `${reads.toLocaleString('en-US')} reads and ${writes.toLocaleString('en-US')} writes a month of items up to 1 KB (assumed: set sizing.nosqlReadsPerMonth / nosqlWritesPerMonth)`);
    return storageOf(d, o.databaseStorageGiB, basis, 'table');
  };
  const messages = () => basis.splice(0, basis.length, `${msgs.toLocaleString('en-US')} messages a month of ${o.messageKiB} KiB (assumed: set sizing.messagesPerMonth / messageKiB)`);
  switch (service) {
    case 'aws.dynamodb': {
      const gib = nosql();
      return out({ summary: 'on-demand capacity, billed per request', storageGiB: gib }, [
        { scales: true, resource: 'DynamoDB on-demand write request units', quantity: round(writes / 1e6, 6), unit: 'million-write-request-units', priceKey: 'dynamodb/on-demand/million-write-units' },
        { scales: true, resource: 'DynamoDB on-demand read request units', quantity: round(reads / 1e6, 6), unit: 'million-read-request-units', priceKey: 'dynamodb/on-demand/million-read-units' },
        { resource: 'DynamoDB table storage', quantity: round(gib, 2), unit: 'gb-month', priceKey: 'dynamodb/storage/gb-month' },
      ]);
    }
    case 'gcp.firestore': {
      const gib = nosql();
      return out({ summary: 'billed per document read and write', storageGiB: gib }, [
        { scales: true, resource: 'Firestore document writes', quantity: round(writes / 1e5, 6), unit: '100k-writes', priceKey: 'firestore/writes/100k' },
        { scales: true, resource: 'Firestore document reads', quantity: round(reads / 1e5, 6), unit: '100k-reads', priceKey: 'firestore/reads/100k' },
        { resource: 'Firestore stored data', quantity: round(gib, 2), unit: 'gb-month', priceKey: 'firestore/storage/gb-month' },
      ]);
    }
    case 'aws.sqs': {
      messages();
      // Each message is sent, received and deleted: three requests per 64 KiB chunk.
      const requests = msgs * 3 * Math.ceil(o.messageKiB / 64);
      basis.push('3 requests per message (send, receive, delete), one per 64 KiB');
      return out({ summary: 'standard queue, billed per request' }, [{ scales: true, resource: 'SQS standard queue requests', quantity: round(requests / 1e6, 6), unit: 'million-requests', priceKey: 'sqs/standard/million-requests' }]);
    }
    case 'aws.sns': {
      messages();
      // A publish is one request per 64 KiB; deliveries to SQS queues and Lambda functions cost nothing.
      const requests = msgs * Math.ceil(o.messageKiB / 64);
      basis.push('1 publish request per message, one per 64 KiB; delivered to SQS or Lambda subscribers, which SNS does not charge for (HTTP, email and SMS deliveries are not estimated; the free first million requests a month is not deducted)');
      return out({ summary: 'standard topic, billed per publish request' }, [{ scales: true, resource: 'SNS publish requests', quantity: round(requests / 1e6, 6), unit: 'million-requests', priceKey: 'sns/publish/million-requests' }]);
    }
    case 'gcp.pubsub': {
      messages();
      // Throughput is billed on at least 1,000 bytes per message, published and delivered once each.
      const tib = round((msgs * Math.max(1000, o.messageKiB * 1024)) / 2 ** 40, 6);
      basis.push('one subscription; at least 1,000 bytes billed per message');
      return out({ summary: 'billed on message throughput' }, [
        { scales: true, resource: 'Pub/Sub message ingestion', quantity: tib, unit: 'tib', priceKey: 'pubsub/ingest/tib' },
        { scales: true, resource: 'Pub/Sub message delivery', quantity: tib, unit: 'tib', priceKey: 'pubsub/delivery/tib' },
      ]);
    }
    case 'aws.cloudwatch-logs':
    case 'gcp.cloud-logging': {
      basis.splice(0, basis.length, `${o.logGiBPerMonth} GiB of logs a month (assumed: set sizing.logGiBPerMonth)`);
      const aws = service === 'aws.cloudwatch-logs';
      return out({ summary: `${o.logGiBPerMonth} GiB ingested a month` }, [{ scales: true, resource: aws ? 'CloudWatch Logs ingestion' : 'Cloud Logging ingestion', quantity: o.logGiBPerMonth, unit: 'gb', priceKey: aws ? 'cloudwatch-logs/ingest/gb' : 'cloud-logging/ingest/gb' }]);
    }
    default:
      return undefined;
  }
}

/** Object or file storage: the declared size, or the default. */
function sizeStorage(x: SizeCtx): SizedTarget | undefined {
  const { d, o, basis, out, service } = x;
  const gib = d.storageGiB ?? o.storageGiB;
  if (d.storageGiB === undefined) basis.push(`storage ${o.storageGiB} GiB (default: not declared)`);
  const keys: Record<string, string> = table({ 'aws.s3': 's3/standard/gb-month', 'gcp.gcs': 'gcs/standard-regional/gb-month', 'aws.efs': 'efs/standard/gb-month', 'gcp.filestore': 'filestore/basic-hdd/gb-month' });
  const key = keys[service] ?? `${service.replace(/^(aws|gcp)\./, '')}/gb-month`;
  return out({ summary: `${fmt(gib)} GiB`, storageGiB: gib }, [{ resource: `${service.replace(/^(aws|gcp)\./, '').toUpperCase()} storage`, quantity: round(gib, 2), unit: 'gb-month', priceKey: key }]);
}

/**
 * A static site on object storage: its files, and what it serves to the internet through CloudFront
 * on AWS and the Premium network tier on GCP (at the first pricing tier; request charges are small
 * and not estimated).
 */
function sizeStaticSite(x: SizeCtx): SizedTarget | undefined {
  const { d, provider, o, basis, out } = x;
  const gib = d.storageGiB ?? o.staticSiteGiB;
  const egress = o.staticEgressGiBPerMonth;
  const where = provider === 'aws' ? 'to viewers in North America (CloudFront prices by where viewers are)' : 'over the Premium tier to anywhere but China and Australia';
  basis.splice(0, basis.length, `${fmt(gib)} GiB of files${d.storageGiB === undefined ? ' (assumed: set sizing.staticSiteGiB)' : ''}, ${egress} GiB served a month (assumed: set sizing.staticEgressGiBPerMonth) ${where}, at the first pricing tier; request charges not estimated`);
  if (provider === 'aws') {
    return out({ summary: `${fmt(gib)} GiB in S3, ${egress} GiB a month through CloudFront`, storageGiB: gib }, [
      { resource: 'S3 Standard storage', quantity: round(gib, 2), unit: 'gb-month', priceKey: 's3/standard/gb-month' },
      { scales: true, resource: 'CloudFront data transfer out (US, Mexico, Canada; first 10 TB)', quantity: egress, unit: 'gb', priceKey: 'cloudfront/north-america/egress/gb' },
    ]);
  }
  return out({ summary: `${fmt(gib)} GiB in Cloud Storage, ${egress} GiB a month served`, storageGiB: gib }, [
    { resource: 'Cloud Storage Standard (regional)', quantity: round(gib, 2), unit: 'gb-month', priceKey: 'gcs/standard-regional/gb-month' },
    { scales: true, resource: 'Premium-tier internet egress (worldwide excl. China and Australia; first TiB)', quantity: egress, unit: 'gib', priceKey: 'egress/premium/worldwide/gib' },
  ]);
}

/** A data lake: object storage plus a managed cluster (EMR / Dataproc) and its per-vCPU fee. */
function sizeDataLake(x: SizeCtx): SizedTarget | undefined {
  const { d, provider, o, out, snap } = x;
  const gib = d.storageGiB ?? o.storageGiB;
  const nodes = Math.max(1, d.replicas);
  const type = chooseVm(snap, provider, d.cpu, d.memGiB, 0, false, true);
  const vcpus = type ? (provider === 'aws' ? snap.shapes.aws[type] : snap.shapes.gcp[type]).vcpu : 0;
  const usage: Usage[] = [
    { resource: provider === 'aws' ? 'S3 Standard storage (data lake)' : 'Cloud Storage Standard (data lake)', quantity: round(gib, 2), unit: 'gb-month', priceKey: provider === 'aws' ? 's3/standard/gb-month' : 'gcs/standard-regional/gb-month' },
    ...vmUsage(provider, type, nodes, 'cluster node'),
    provider === 'aws'
      ? { resource: `EMR fee on ${type ?? '?'}`, quantity: nodes * HOURS, unit: 'instance-hour', priceKey: `emr/fee/${type ?? 'none'}` }
      : { resource: `Dataproc fee (${vcpus} vCPU per node)`, quantity: round(nodes * vcpus * HOURS, 4), unit: 'vcpu-hour', priceKey: 'dataproc/fee/vcpu-hour' },
  ];
  return out({ summary: `${fmt(gib)} GiB in object storage + ${nodes} × ${type ?? '?'} cluster nodes`, instanceType: type, count: nodes, storageGiB: gib }, usage);
}

/** Kubernetes pods priced as their share of general-purpose nodes. */
/** Node types of the pools pods are priced on, smallest first: the default, then larger ones of the same family. */
const POD_NODES: Record<Provider, string[]> = {
  aws: ['m6i.large', 'm6i.xlarge', 'm6i.2xlarge', 'm6i.4xlarge', 'm6i.8xlarge', 'm6i.16xlarge'],
  gcp: ['e2-standard-2', 'e2-standard-4', 'e2-standard-8', 'e2-standard-16', 'e2-standard-32'],
};

/** The smallest node of the pool that holds one pod (a pod never spans nodes); the largest if none does. */
function podNode(snap: Snapshot, provider: Provider, cpu: number, memGiB: number): { node: string; vcpu: number; memoryGiB: number } {
  const shapes = provider === 'aws' ? snap.shapes.aws : snap.shapes.gcp;
  const known = POD_NODES[provider].filter((n) => shapes[n]);
  const node = known.find((n) => shapes[n].vcpu + 1e-9 >= cpu && shapes[n].memoryGiB + 1e-9 >= memGiB) ?? known[known.length - 1];
  return { node, vcpu: shapes[node].vcpu, memoryGiB: shapes[node].memoryGiB };
}

/** Runs a month of a scheduled or one-shot job, and the minutes of each (the defaults stated in the basis). */
function jobRuns(w: Workload, o: SizingOptions, basis: string[]): { runs: number; minutes: number } {
  const schedule = w.traits.find((t) => t.name === 'schedule');
  const counted = schedule ? runsPerMonth(String(schedule.value)) : undefined;
  const oneShot = !schedule && (w.kind === 'job' || w.traits.some((t) => t.name === 'one-shot'));
  const runs = counted ?? (oneShot ? 1 : 30);
  const minutes = minutesPerRun(runs, o.jobMinutesPerRun);
  basis.push(`${runs} run${runs === 1 ? '' : 's'}/month (${counted !== undefined ? `schedule "${String(schedule?.value)}"` : oneShot ? 'a one-shot job: one run a month, for each deployment' : 'default: schedule unknown, daily'}), ${minutes < o.jobMinutesPerRun ? `${fmt(minutes)} min per run (the ${o.jobMinutesPerRun}-min default capped at the time between runs: runs do not overlap)` : `${minutes} min per run (default)`}`);
  return { runs, minutes };
}

/**
 * Pods priced as their share of the smallest node of the pool that holds one: all month, or for
 * the share of it `busy` says they run (a job's pods).
 */
function podShare(snap: Snapshot, provider: Provider, cpu: number, memGiB: number, pods: number, basis: string[], busy?: number): { node: string; usage: Usage[] } {
  const { node, ...s } = podNode(snap, provider, cpu, memGiB);
  const share = Math.max(cpu / s.vcpu, memGiB / s.memoryGiB);
  basis.push(`pods priced as their share of a ${node} node (${s.vcpu} vCPU / ${s.memoryGiB} GiB)${node === POD_NODES[provider][0] ? '' : ', the smallest node that holds one pod'}`);
  const usage = vmUsage(provider, node, pods * share * (busy ?? 1), `node share (${fmt(share)} per pod${busy === undefined ? '' : ', while it runs'})`).map((u) => ({ ...u, scales: busy === undefined }));
  return { node, usage };
}

function sizePod(x: SizeCtx): SizedTarget | undefined {
  const { w, d, provider, o, basis, out, snap } = x;
  const want = withHeadroom(d, o.headroom, basis);
  // A CronJob's or Job's pods hold their share of a node only while they run.
  const isJob = w.kind === 'scheduled-job' || w.kind === 'job';
  const sharedBasis: string[] = [];
  const job = isJob ? jobRuns(w, o, sharedBasis) : undefined;
  const busy = job ? (job.runs * job.minutes) / 60 / HOURS : undefined;
  const { node, usage } = podShare(snap, provider, want.cpu, want.memGiB, d.replicas, basis, busy);
  basis.push(...sharedBasis);
  if (d.storageGiB) usage.push({ resource: provider === 'aws' ? 'EBS gp3 volumes' : 'Persistent Disk balanced', quantity: round(d.storageGiB * d.replicas, 2), unit: 'gb-month', priceKey: provider === 'aws' ? 'ebs/gp3/gb-month' : 'pd/balanced/gb-month' });
  const runs = job ? `, ${fmt(job.runs)} run${job.runs === 1 ? '' : 's'} × ${fmt(job.minutes)} min` : '';
  return out({ summary: `${d.replicas} pod${d.replicas === 1 ? '' : 's'} × ${fmt(d.cpu)} vCPU / ${fmt(d.memGiB)} GiB on ${node} nodes${runs}`, count: d.replicas, vcpu: d.cpu, memoryGiB: d.memGiB }, usage);
}

/** A GPU or general-purpose VM: the cheapest type that fits, Windows licence and disks. */
function sizeVm(x: SizeCtx): SizedTarget {
  const { w, d, provider, o, basis, out, def, snap, targetClass, model } = x;
  const gpus = model === 'gpu-vm' ? Math.max(1, d.gpus) : 0;
  const want = withHeadroom(d, o.headroom, basis);
  if (def.sizing === 'database') {
    // A database self-managed on a VM gets the same default as the managed engine on the other cloud.
    if (!d.cpuDeclared) want.cpu = 2;
    if (!d.memDeclared) want.memGiB = 4;
    if (!d.cpuDeclared || !d.memDeclared) basis.push('database default: 2 vCPU / 4 GiB where not declared');
  }
  const windows = targetClass === 'windows-vm' || w.traits.some((t) => t.name === 'windows');
  if (windows) windowsShape(snap, want, gpus, basis);
  const type = chooseVm(snap, provider, want.cpu, want.memGiB, gpus, windows && provider === 'aws');
  if (gpus > 0) basis.push(`${gpus} NVIDIA L4 GPU${gpus === 1 ? '' : 's'} on both clouds (EC2 G6, Compute Engine G2): the same GPU, like for like`);
  const usage: Usage[] = vmUsage(provider, type, d.replicas, 'instance', windows).map((u) => ({ ...u, scales: true }));
  // A database on a VM keeps its data on a disk: declared, or the database default.
  const disk = def.sizing === 'database' ? storageOf(d, o.databaseStorageGiB, basis, 'database') : d.storageGiB;
  if (disk) usage.push({ resource: provider === 'aws' ? 'EBS gp3 storage' : 'Persistent Disk balanced', quantity: round(disk, 2), unit: 'gb-month', priceKey: provider === 'aws' ? 'ebs/gp3/gb-month' : 'pd/balanced/gb-month' });
  return out({ summary: `${d.replicas} × ${type ?? (gpus ? 'GPU VM' : 'unknown')}${windows ? ' (Windows Server)' : ''}`, instanceType: type, count: d.replicas, storageGiB: disk }, usage);
}

/**
 * EC2 bills Windows as its own price, licence included, and the bundled data has it for few types.
 * When the smallest type that fits has none, both clouds are sized to the cheapest type that has
 * one, so that the comparison stays like for like (the basis says so).
 */
function windowsShape(snap: Snapshot, want: { cpu: number; memGiB: number }, gpus: number, basis: string[]): void {
  const plain = chooseVm(snap, 'aws', want.cpu, want.memGiB, gpus);
  const priced = chooseVm(snap, 'aws', want.cpu, want.memGiB, gpus, true);
  if (!priced || priced === plain || !snap.price('aws', SIZING_REGION.aws, `ec2/windows/${priced}`)) return;
  const s = snap.shapes.aws[priced];
  want.cpu = Math.max(want.cpu, s.vcpu);
  want.memGiB = Math.max(want.memGiB, s.memoryGiB);
  basis.push(`Windows: sized as ${priced} (${s.vcpu} vCPU / ${s.memoryGiB} GiB) on both clouds, the smallest type with a published Windows price in the bundled data (${plain ?? 'the smallest fit'} has none)`);
}

/** Anything else: usage-based (or a continuing SaaS subscription). */
function sizeUsageBased(x: SizeCtx): SizedTarget {
  const { out, service } = x;
  const label = service.replace(/^(aws|gcp)\./, '');
  if (label === 'saas') return out({ summary: 'the vendor subscription continues unchanged' }, []);
  const modelled = usageModel(x);
  if (modelled) return modelled;
  return out({ summary: 'usage-based' }, [{ resource: `${label} usage`, quantity: 1, unit: 'month', priceKey: `${label}/usage` }]);
}
