import { readToml, tomlKeyLines } from './toml';
import type { PartialWorkload, SourceRef } from '../types';
import { arr, isObj, num, obj, str, type Obj } from './yaml';
import { diag, inspectEnv, lastSegment, newWorkload, posixDirname, posixJoin, trait, type ParseContext, type ParseResult } from './common';
import { table } from '../collections';
import { SHARED_VCPU } from '../units';

/**
 * A Fly.io app's `fly.toml` (Fly Launch): its process groups, the HTTP service in front of them,
 * the machine size each runs on, its volume, its release command. The file is TOML, read by
 * smol-toml; the lines a plan cites come from the table headers and keys as written.
 */

/** Fly's machine size presets (fly.io/docs/about/pricing): CPUs, their kind, and the memory each starts with. */
const PRESETS: Record<string, { cpus: number; kind: 'shared' | 'performance'; memoryMiB: number }> = table({
  'shared-cpu-1x': { cpus: 1, kind: 'shared', memoryMiB: 256 },
  'shared-cpu-2x': { cpus: 2, kind: 'shared', memoryMiB: 512 },
  'shared-cpu-4x': { cpus: 4, kind: 'shared', memoryMiB: 1024 },
  'shared-cpu-8x': { cpus: 8, kind: 'shared', memoryMiB: 2048 },
  'performance-1x': { cpus: 1, kind: 'performance', memoryMiB: 2048 },
  'performance-2x': { cpus: 2, kind: 'performance', memoryMiB: 4096 },
  'performance-4x': { cpus: 4, kind: 'performance', memoryMiB: 8192 },
  'performance-8x': { cpus: 8, kind: 'performance', memoryMiB: 16384 },
  'performance-16x': { cpus: 16, kind: 'performance', memoryMiB: 32768 },
});

/** Keys only a Fly Launch configuration has at its top level. */
const FLY_KEYS = ['app', 'primary_region', 'http_service', 'services', 'vm', 'compute', 'processes', 'mounts', 'deploy', 'kill_signal'];

export function parseFly(text: string, file: string, ctx?: ParseContext): ParseResult {
  const diagnostics: ParseResult['diagnostics'] = [];
  const cfg = readToml(text, file, diagnostics);
  if (!cfg) return { workloads: [], diagnostics };
  if (!FLY_KEYS.some((k) => k in cfg)) return { workloads: [], diagnostics, notDescriptor: 'TOML with none of a fly.toml\'s keys (app, http_service, services, vm, processes)' };
  const line = tomlKeyLines(text);
  const ref = (section: string, key?: string): SourceRef => ({ file, line: line(section, key), column: 1 });
  const appName = appNameOf(cfg, file);
  const build = buildOf(cfg, file, ctx);
  const groups = Object.entries(obj(cfg.processes)).filter(([, v]) => typeof v === 'string') as [string, string][];
  const all = groups.length > 0 ? groups : [['app', undefined] as [string, string | undefined]];
  const workloads: PartialWorkload[] = all.map(([group, command]) => {
    const name = group === 'app' || all.length === 1 ? appName : `${appName}-${group}`;
    const src = command !== undefined ? ref('processes', group) : ref('', 'app');
    const w = newWorkload(name, 'worker', src, 'fly');
    trait(w, 'runtime', 'container', src);
    trait(w, 'fly.process', group, src);
    if (command) trait(w, 'command', command, src);
    applyBuild(build, w, ref);
    readServices(cfg, group, all.length, w, ref);
    readVm(cfg, group, w, ref, diagnostics);
    if (w.kind === 'worker') trait(w, 'serves-no-http', `Fly process group ${group}, with no service in front`, src);
    readMounts(cfg, group, w, ref);
    for (const [k, v] of Object.entries(obj(cfg.env))) inspectEnv(w, k, String(v), ref('env', k));
    if (arr(cfg.statics).length > 0) trait(w, 'static-assets', `Fly statics (${arr(cfg.statics).map((s) => str(obj(s).url_prefix) ?? '/').join(', ')})`, ref('statics#0'));
    return w;
  });
  const release = str(obj(cfg.deploy).release_command);
  if (release) workloads.push(releaseJob(build, appName, release, ref));
  return { workloads, diagnostics };
}

/**
 * The app's name. For a template's placeholder (`{APP_NAME}`) or none: the name of the image it runs
 * (`ghcr.io/0x2e/fusion:latest` → fusion), else its folder's.
 */
function appNameOf(cfg: Obj, file: string): string {
  const app = str(cfg.app);
  if (app && /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(app)) return app;
  const image = str(obj(cfg.build).image);
  if (image) return lastSegment(image);
  const dir = posixDirname(file);
  return dir ? dir.slice(dir.lastIndexOf('/') + 1) : 'app';
}

interface FlyBuild {
  image?: string;
  dockerfile?: string;
  builder?: string;
  /** The key the build is read from, for the plan to cite. */
  key?: string;
}

/**
 * What the machines run: a prebuilt image, a Dockerfile of the repository, or a buildpack builder's
 * image. With no `[build]` of either, `fly deploy` builds the Dockerfile beside fly.toml, if there is one.
 */
function buildOf(cfg: Obj, file: string, ctx: ParseContext | undefined): FlyBuild {
  const build = obj(cfg.build);
  const image = str(build.image);
  if (image) return { image, key: 'image' };
  const dockerfile = str(build.dockerfile);
  if (dockerfile) return { dockerfile: posixJoin(posixDirname(file), dockerfile), key: 'dockerfile' };
  if (str(build.builder) || arr(build.buildpacks).length > 0) return { builder: str(build.builder) ?? 'buildpacks' };
  const beside = posixJoin(posixDirname(file), 'Dockerfile');
  return ctx?.readFile(beside) !== undefined ? { dockerfile: beside } : {};
}

function applyBuild(build: FlyBuild, w: PartialWorkload, ref: (s: string, k?: string) => SourceRef): void {
  const src = build.key ? ref('build', build.key) : w.source;
  if (build.image) {
    w.image = build.image;
    trait(w, 'image', build.image, src);
  } else if (build.dockerfile) {
    w.buildDockerfile = build.dockerfile;
    trait(w, 'build', build.dockerfile, src);
  } else if (build.builder) trait(w, 'fly.builder', build.builder, ref('build'));
}

/** Whether a section applies to a process group: its `processes` name it, or it names none and the group is `app` (or the only one). */
function appliesTo(section: Obj, group: string, groups: number): boolean {
  const processes = arr(section.processes).map(String);
  return processes.length > 0 ? processes.includes(group) : group === 'app' || groups === 1;
}

/** The HTTP service or services in front of the group: its ports, health checks, and how many machines stay up. */
function readServices(cfg: Obj, group: string, groups: number, w: PartialWorkload, ref: (s: string, k?: string) => SourceRef): void {
  const sections: Array<[Obj, string]> = [];
  if (isObj(cfg.http_service)) sections.push([cfg.http_service, 'http_service']);
  arr(cfg.services).forEach((s, i) => isObj(s) && sections.push([s, `services#${i}`]));
  for (const [s, name] of sections) {
    if (!appliesTo(s, group, groups)) continue;
    const port = num(s.internal_port);
    const psrc = ref(name, 'internal_port');
    w.kind = 'service';
    if (port !== undefined && !w.ports.includes(port)) {
      w.ports.push(port);
      trait(w, 'port', port, psrc);
    }
    if (arr(s.checks).length > 0 || isObj(s.http_checks) || arr(s.http_checks).length > 0 || arr(s.tcp_checks).length > 0) trait(w, 'healthcheck', true, ref(name));
    const min = num(s.min_machines_running);
    if (min !== undefined && min > 0) w.resources.replicas = { value: min, source: ref(name, 'min_machines_running') };
    const stop = s.auto_stop_machines;
    if (stop === true || stop === 'stop' || stop === 'suspend') trait(w, 'fly.auto-stop', `machines stop when idle (min_machines_running ${min ?? 0})`, ref(name, 'auto_stop_machines'));
  }
}

/** The machine the group runs on: a `[[vm]]` (or `[compute]`) for the group, or the one for all. */
function readVm(cfg: Obj, group: string, w: PartialWorkload, ref: (s: string, k?: string) => SourceRef, diagnostics: ParseResult['diagnostics']): void {
  const vms: Array<[Obj, string]> = [];
  for (const key of ['vm', 'compute']) {
    if (isObj(cfg[key])) vms.push([cfg[key] as Obj, key]);
    arr(cfg[key]).forEach((v, i) => isObj(v) && vms.push([v, `${key}#${i}`]));
  }
  const own = vms.find(([v]) => arr(v.processes).map(String).includes(group)) ?? vms.find(([v]) => arr(v.processes).length === 0);
  if (!own) return;
  const [vm, name] = own;
  const size = str(vm.size)?.toLowerCase();
  const preset = size ? PRESETS[size] : undefined;
  if (size && !preset) diag(diagnostics, ref(name, 'size'), 'warning', 'fly-vm-size', `Machine size ${size} is not one of Fly's presets; ${w.name} is sized from its cpus and memory, or defaults.`);
  const kind = (str(vm.cpu_kind)?.toLowerCase() ?? preset?.kind ?? 'shared') as string;
  const cpus = num(vm.cpus) ?? preset?.cpus;
  const memory = flyMiB(vm.memory) ?? num(vm.memory_mb) ?? preset?.memoryMiB;
  const cpuSrc = ref(name, vm.cpus !== undefined ? 'cpus' : 'size');
  const memSrc = ref(name, vm.memory !== undefined ? 'memory' : vm.memory_mb !== undefined ? 'memory_mb' : 'size');
  if (cpus !== undefined) {
    w.resources.cpu = { value: kind === 'performance' ? cpus : cpus * SHARED_VCPU, source: cpuSrc, cap: true };
    if (kind !== 'performance') trait(w, 'fly.shared-cpu', `${cpus} shared vCPU${cpus === 1 ? '' : 's'}`, cpuSrc);
  }
  if (memory !== undefined) w.resources.memoryMiB = { value: memory, source: memSrc, cap: true };
}

/** A size as fly.toml writes it (`'512mb'`, `'1gb'`, `"10GB"`, or megabytes as a number), in MiB: Fly's gigabyte is 1,024 megabytes. */
function flyMiB(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v : undefined;
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(mb|m|gb|g)?\s*$/i.exec(v) : null;
  if (!m) return undefined;
  return Number(m[1]) * (/^g/i.test(m[2] ?? 'mb') ? 1024 : 1);
}

/** A volume mounted into the group's machines: state on a disk, and its size. */
function readMounts(cfg: Obj, group: string, w: PartialWorkload, ref: (s: string, k?: string) => SourceRef): void {
  const mounts: Array<[Obj, string]> = [];
  if (isObj(cfg.mounts)) mounts.push([cfg.mounts, 'mounts']);
  arr(cfg.mounts).forEach((m, i) => isObj(m) && mounts.push([m, `mounts#${i}`]));
  for (const [m, name] of mounts) {
    const processes = arr(m.processes).map(String);
    if (processes.length > 0 && !processes.includes(group)) continue;
    trait(w, 'volume.rwo', `${str(m.source) ?? 'volume'}${str(m.destination) ? ` at ${str(m.destination)}` : ''}`, ref(name, 'source'));
    const size = flyMiB(m.initial_size);
    if (size !== undefined) w.resources.storageGiB = { value: size / 1024, source: ref(name, 'initial_size') };
  }
}

/** `[deploy] release_command`: a one-off job run in a temporary machine before each release goes live. */
function releaseJob(build: FlyBuild, appName: string, command: string, ref: (s: string, k?: string) => SourceRef): PartialWorkload {
  const src = ref('deploy', 'release_command');
  const w = newWorkload(`${appName}-release`, 'job', src, 'fly');
  trait(w, 'runtime', 'container', src);
  trait(w, 'fly.process', 'release', src);
  trait(w, 'command', command, src);
  applyBuild(build, w, ref);
  return w;
}
