import { DockerfileParser } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import type { PartialWorkload, SourceRef } from '../types';
import { diag, inspectEnv, lastSegment, newWorkload, posixDirname, trait, type ParseResult } from './common';

const SUPERVISORS = /\b(supervisord|supervisorctl|s6-overlay|s6-svscan|runsvdir|runit|pm2-runtime|forever)\b/;
const CRON = /\b(crond?|crontab)\b/;
const WINDOWS_BASE = /(^|\/)(windows\/(servercore|nanoserver|server)|windows(servercore|nanoserver)?)(:|$)|mcr\.microsoft\.com\/windows|servercore|nanoserver|dotnet\/framework|(^|\/)microsoft\/(iis|aspnet|dotnet-framework|windowsservercore|nanoserver|mssql-server-windows)|-windows(:|-|$)|:(ltsc20\d\d|1809|1903|1909|2004|20h2)(\b|-)/i;

/** Folder names that say where files sit, not which service they build. */
export const GENERIC_DIRS = new Set(['src', 'source', 'service', 'services', 'docker', 'dockerfiles', 'build', 'builds', 'deploy', 'deployment', 'deployments', 'container', 'containers', 'image', 'images', 'ci', '.docker', 'dist', 'app', 'main', 'server', 'cmd', 'bin', 'scripts', 'dev', 'prod', 'production', 'base', 'packaging', 'infra', 'infrastructure', 'tools', 'hack', 'files', 'conf', 'config', 'etc', 'resources', 'env', 'environments']);

/** Suffixes of a Dockerfile's name that mark a variant for development, debugging or tests. */
export const DEV_VARIANT = /^(debug|dev|develop|development|devel|local|test|tests|testing|ci|e2e|cypress|insider|orig|bk|bak|old|backup|build|builder|tools|profile|profiling|run)$/i;

/**
 * Name a standalone Dockerfile after the service folder it sits in: `services/api/Dockerfile` →
 * `api`; `src/cart/src/Dockerfile` → `cart`. Generic folders (src, docker, build…) are skipped,
 * and a Dockerfile at the top is `app`: never the checkout folder's name, so that the same
 * repository cloned under another name gives the same plan.
 */
export function dockerfileWorkloadName(file: string): string {
  const dir = posixDirname(file);
  const base = file.slice(file.lastIndexOf('/') + 1);
  const segs = dir ? dir.split('/') : [];
  let folder = '';
  for (let i = segs.length - 1; i >= 0; i--) {
    if (!GENERIC_DIRS.has(segs[i].toLowerCase())) {
      folder = segs[i];
      break;
    }
  }
  const m = /^(?:Dockerfile|Containerfile)[._-](.+)$/i.exec(base) ?? /^(.+)[.](?:Dockerfile|Containerfile)$/i.exec(base);
  // `Dockerfile.prod` builds the same service as `Dockerfile`, for production: it takes its name.
  if (m && !PRODUCTION_SUFFIX.test(m[1])) return folder ? `${folder}-${m[1]}` : m[1];
  return folder || (segs.length ? segs[segs.length - 1] : 'app');
}

/** The suffix of a Dockerfile that builds the production image (`Dockerfile.prod`, `production.Dockerfile`). */
export const PRODUCTION_SUFFIX = /^(prod|production|release|live)$/i;

/** The suffix of `Dockerfile.<suffix>` / `<suffix>.Dockerfile`, if any. */
export function dockerfileSuffix(file: string): string | undefined {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const m = /^(?:Dockerfile|Containerfile)[._-](.+)$/i.exec(base) ?? /^(.+)[.](?:Dockerfile|Containerfile)$/i.exec(base);
  return m?.[1];
}

function ref(file: string, r: Range | null | undefined): SourceRef {
  if (!r) return { file, line: 1, column: 1 };
  return { file, line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

/** Packages installed by apt-get/apk/yum/dnf/microdnf in a RUN line. */
export function installedPackages(run: string): string[] {
  const out: string[] = [];
  const re = /\b(?:apt-get|apt|apk|yum|dnf|microdnf|zypper)\s+(?:-[^\s]+\s+)*(?:install|add)\s+((?:[^&|;\\\n]|\\\n)+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(run))) {
    for (const tok of m[1].split(/\s+/)) {
      if (!tok || tok.startsWith('-') || tok === '\\') continue;
      out.push(tok.replace(/[=<>].*$/, ''));
    }
  }
  return out;
}

export function parseDockerfile(text: string, file: string): ParseResult {
  const diagnostics: ParseResult['diagnostics'] = [];
  const df = DockerfileParser.parse(text);
  const froms = df.getFROMs();
  const name = dockerfileWorkloadName(file);
  const w = newWorkload(name, 'worker', { file, line: 1, column: 1 }, 'dockerfile');
  if (froms.length === 0) {
    diag(diagnostics, { file, line: 1 }, 'error', 'dockerfile-no-from', 'Dockerfile has no FROM instruction; it does not describe an image.');
    return { workloads: [], diagnostics };
  }
  readStages(froms, w, file);
  const lastStageStart = froms[froms.length - 1].getRange().start.line;
  const vars = new Map<string, string>();
  for (const ins of df.getInstructions()) readInstruction(ins, ins.getRange().start.line >= lastStageStart, w, file, diagnostics, vars);
  dropStaticSiteIfScripted(w);
  if (w.ports.length > 0 || w.traits.some((t) => t.name === 'port.unresolved')) w.kind = 'service';
  const suffix = dockerfileSuffix(file);
  if (suffix) trait(w, 'docker.suffix', suffix, w.source);
  trait(w, 'runtime', 'container', w.source);
  return { workloads: [w], diagnostics };
}

type FromInstruction = ReturnType<ReturnType<typeof DockerfileParser.parse>['getFROMs']>[number];
type Instruction = ReturnType<ReturnType<typeof DockerfileParser.parse>['getInstructions']>[number];

/** Every stage's base image; the workload is placed at the final stage, whose base is its base image. */
function readStages(froms: FromInstruction[], w: PartialWorkload, file: string): void {
  const stageNames = new Set<string>();
  for (const f of froms) {
    const stage = f.getBuildStage();
    const image = f.getImage() ?? '';
    const src = ref(file, f.getRange());
    trait(w, 'docker.stage-base', image, src);
    if (WINDOWS_BASE.test(image)) trait(w, 'windows', image, src);
    if (/^\$\{?[A-Za-z_]/.test(image)) trait(w, 'docker.from-arg', image, src);
    if (stage) stageNames.add(stage.toLowerCase());
  }
  const last = froms[froms.length - 1];
  const baseImage = last.getImage() ?? '';
  w.source = ref(file, last.getRange());
  // The final stage's base, unless it is another stage of this file.
  if (baseImage && !stageNames.has(baseImage.toLowerCase())) trait(w, 'base-image', baseImage, w.source);
}

/** No real RUN installs more packages than this; more are not looked at one by one. */
const MAX_PACKAGES_PER_RUN = 1000;

/** The instructions this reader looks at. */
const READ_KEYWORDS = new Set(['EXPOSE', 'VOLUME', 'USER', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'ENTRYPOINT', 'CMD', 'RUN', 'ENV', 'ARG', 'COPY', 'ADD']);
/** …and those that count only in the final stage (what the image runs). */
const FINAL_STAGE_ONLY = new Set(['EXPOSE', 'VOLUME', 'USER', 'HEALTHCHECK', 'ENTRYPOINT', 'CMD', 'RUN', 'COPY', 'ADD']);
/** Web servers that serve files as they are, and the folders they serve them from. */
export const WEB_SERVER_IMAGE = /^(nginx|nginx-unprivileged|httpd|caddy|lighttpd)$/;
export const WEB_ROOT = /^\/(usr\/share\/nginx\/html|usr\/local\/apache2\/htdocs|var\/www\/html|var\/www\/localhost\/htdocs|srv|usr\/share\/caddy)(\/|$)/;

/**
 * A web server image with an entrypoint script of its own, or a command other than the server's,
 * does more than serve files (it renders a proxy configuration, starts something else): not a
 * static site.
 */
function dropStaticSiteIfScripted(w: PartialWorkload): void {
  if (!w.traits.some((t) => t.name === 'static-site')) return;
  const cmd = w.traits.find((t) => t.name === 'cmd');
  const serverCmd = !cmd || /^\[?\s*"?(nginx|httpd-foreground|httpd|caddy|lighttpd)\b/.test(String(cmd.value));
  if (w.traits.some((t) => t.name === 'entrypoint') || !serverCmd) w.traits = w.traits.filter((t) => t.name !== 'static-site');
}

/** The web server the final stage is built on (nginx, httpd, caddy…), if it is one. */
function servesFiles(w: PartialWorkload): string | undefined {
  const base = w.traits.find((t) => t.name === 'base-image');
  const seg = base ? lastSegment(String(base.value)) : '';
  return WEB_SERVER_IMAGE.test(seg) ? seg : undefined;
}

/** Where a COPY or ADD puts its files: the last argument, flags (`--from=build`) left out. */
function destinationOf(args: string): string | undefined {
  const text = args.trim();
  if (text.startsWith('[')) {
    try {
      const a = JSON.parse(text) as unknown;
      return Array.isArray(a) && typeof a[a.length - 1] === 'string' ? (a[a.length - 1] as string) : undefined;
    } catch {
      return undefined;
    }
  }
  const words = text.split(/\s+/).filter((x) => x && !x.startsWith('--'));
  return words.length >= 2 ? words[words.length - 1] : undefined;
}

/** `${NAME}`, `${NAME:-8080}` or `$NAME`, with an optional `/tcp` or `/udp`: a port set by a build argument or variable. */
const PORT_VARIABLE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([0-9]+))?\}|([A-Za-z_][A-Za-z0-9_]*))(\/(tcp|udp))?$/i;

/** ENV and ARG: the variables they set (for EXPOSE $PORT), each name a trait and each value inspected (secrets, addresses). */
function readVariables(ins: Instruction, kw: string, w: PartialWorkload, file: string, vars: Map<string, string>): void {
  const props = (ins as unknown as { getProperties?: () => { getName(): string; getValue(): string | null; getRange(): Range }[] }).getProperties?.() ?? [];
  for (const p of props) {
    const psrc = ref(file, p.getRange());
    const value = p.getValue();
    if (value !== null && value !== undefined) vars.set(p.getName(), value);
    inspectEnv(w, p.getName(), p.getValue() ?? undefined, psrc);
    trait(w, kw === 'ENV' ? 'env.name' : 'arg.name', p.getName(), psrc);
  }
}

/** Whitespace as the Dockerfile parser counts it between arguments: spaces, tabs and line ends. */
const EDGE_WHITESPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

/**
 * An instruction's arguments as one text, as dockerfile-ast's getArgumentsContent gives it. On one
 * line (nearly every instruction) that is the text after the keyword without its surrounding
 * whitespace, read straight from the instruction: the library's own call tokenizes the arguments
 * twice, with a position object for each, and was the largest single allocation of a parse.
 * An instruction continued over lines (escaped newlines, comments between them), or with flags,
 * asks the library. Checked against the library on every instruction of the corpus' Dockerfiles.
 */
export function argumentsText(ins: Instruction, range: Range): string {
  if (range.start.line !== range.end.line) return ins.getArgumentsContent() ?? '';
  const rest = ins.getTextContent().slice(ins.getInstruction().length).replace(EDGE_WHITESPACE, '');
  // Flags (`COPY --from=build`, `RUN --mount=…`) are not arguments: the library leaves them out.
  return rest.startsWith('--') ? ins.getArgumentsContent() ?? '' : rest;
}

/** What one instruction says about the image; most count only in the final stage. */
function readInstruction(ins: Instruction, inFinal: boolean, w: PartialWorkload, file: string, diagnostics: ParseResult['diagnostics'], vars: Map<string, string>): void {
  const kw = ins.getKeyword().toUpperCase();
  // Most instructions (COPY, WORKDIR, LABEL…) say nothing here: their arguments and place are not asked for.
  if (!READ_KEYWORDS.has(kw) || (!inFinal && FINAL_STAGE_ONLY.has(kw))) return;
  // A COPY counts only into a web server's image (a static site); most Dockerfiles skip it unread.
  if ((kw === 'COPY' || kw === 'ADD') && !servesFiles(w)) return;
  const range = ins.getRange();
  const src = ref(file, range);
  let argsMemo: string | undefined;
  // Only the instructions that read their text as a whole ask for it (ENV, ARG and EXPOSE read their parts).
  const args = (): string => (argsMemo ??= argumentsText(ins, range));
  switch (kw) {
    case 'EXPOSE':
      if (!inFinal) break;
      for (const a of ins.getArguments()) {
        const m = PORT_VARIABLE.exec(a.getValue());
        const variable = m ? m[1] ?? m[3] : undefined;
        const p = parseInt(variable !== undefined ? vars.get(variable) ?? m?.[2] ?? '' : a.getValue(), 10);
        if (Number.isFinite(p)) {
          w.ports.push(p);
          trait(w, 'port', p, ref(file, a.getRange()));
        } else if (variable !== undefined) {
          trait(w, 'port.unresolved', `EXPOSE ${a.getValue()}`, ref(file, a.getRange()));
          diag(diagnostics, ref(file, a.getRange()), 'info', 'dockerfile-expose-variable', `EXPOSE ${a.getValue()}: the port is set when the image is built or run (${variable} has no value in this Dockerfile); the port the compose file or manifest gives is used.`);
        } else diag(diagnostics, ref(file, a.getRange()), 'warning', 'dockerfile-expose', `EXPOSE ${a.getValue()} is not a port number.`);
      }
      break;
    case 'VOLUME':
      if (inFinal) trait(w, 'volume.declared', args().trim(), src);
      break;
    case 'COPY':
    case 'ADD': {
      // Built files copied into a web server's folder: a static site.
      const dest = destinationOf(args());
      if (dest && WEB_ROOT.test(dest) && !w.traits.some((t) => t.name === 'static-site')) trait(w, 'static-site', `${dest} (${servesFiles(w)})`, src);
      break;
    }
    case 'USER':
      if (inFinal) trait(w, 'user', args().trim(), src);
      break;
    case 'HEALTHCHECK':
      if (inFinal && !/^\s*NONE\b/i.test(args())) trait(w, 'healthcheck', true, src);
      break;
    case 'SHELL':
      if (/powershell|pwsh|cmd(\.exe)?"?\s*,\s*"\/S/i.test(args())) trait(w, 'windows', 'SHELL ' + (/(powershell|pwsh|cmd)/i.exec(args()) ?? [''])[0], src);
      break;
    case 'ONBUILD':
      trait(w, 'docker.onbuild', true, src);
      break;
    case 'ENTRYPOINT':
    case 'CMD':
      if (!inFinal) break;
      trait(w, kw === 'CMD' ? 'cmd' : 'entrypoint', args().trim(), src);
      if (SUPERVISORS.test(args())) trait(w, 'process-supervisor', (SUPERVISORS.exec(args()) ?? [''])[0], src);
      if (CRON.test(args())) trait(w, 'cron.in-image', CRON.exec(args())?.[1] ?? 'cron', src); // the word, not the command line: it may hold secrets
      break;
    case 'RUN': {
      if (!inFinal) break;
      for (const p of installedPackages(args()).slice(0, MAX_PACKAGES_PER_RUN)) {
        trait(w, 'package', p, src);
        if (SUPERVISORS.test(p) || p === 'supervisor') trait(w, 'process-supervisor', p, src);
        if (/^(cron|cronie|dcron)$/.test(p)) trait(w, 'cron.in-image', p, src);
      }
      if (/\bcrontab\b/.test(args())) trait(w, 'cron.in-image', 'crontab', src);
      break;
    }
    case 'ENV':
    case 'ARG':
      readVariables(ins, kw, w, file, vars);
      break;
    default:
      break;
  }
}
