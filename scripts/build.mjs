#!/usr/bin/env node
// Bundles the CLI, the tests (and, when present, the extension and the webview) with esbuild.
// YAML data files (rules, targets) are turned into plain data at build time.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const yamlPlugin = {
  name: 'yaml-data',
  setup(build) {
    build.onLoad({ filter: /\.ya?ml$/ }, async (args) => ({
      contents: JSON.stringify(parse(await fs.promises.readFile(args.path, 'utf8'))),
      loader: 'json',
    }));
  },
};

// The yaml library reads process.env.LOG_TOKENS for every token its parser sees (a debugging hook).
// Reading process.env goes through a native interceptor (~0.1 µs a read), which is about a sixth of a
// large file's parse. The hook is kept, but read once, when the module loads. The build fails if the
// library's text changes so that the rewrite no longer applies.
const yamlEnvPlugin = {
  name: 'yaml-env-once',
  setup(build) {
    build.onLoad({ filter: /[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      const name = /parser\.js$/.test(args.path) ? 'LOG_TOKENS' : 'LOG_STREAM';
      const use = `node_process.env.${name}`;
      if (text.split(use).length !== 2) throw new Error(`yaml-env-once: expected one ${use} in ${args.path}`);
      const once = `__yamlEnvOnce_${name}`;
      return { contents: `${text.replace(use, once)}\nvar ${once} = node_process.env.${name};\n`, loader: 'js' };
    });
  },
};

// js-yaml ships two builds: ES module (what `import` picks) and CommonJS (what `require` picks).
// On Node 20 its ES module build parses at half the speed: loadAll over gen1's 1,000 YAML files
// (bench, 10,000 services) takes 500 ms there and 240 ms in the CommonJS build. The cause is the
// parser's state, made with object spread (`{ ...DEFAULT_PARSER_OPTIONS, ...options, input,
// position, … }`) and read on every character: the same ES module text with that one spread written
// out as plain properties takes 274 ms. The CommonJS build is transpiled (its spread stores each
// property in turn). The bundles are CommonJS: they take the CommonJS build, with the same parser
// and the same results. The build fails if js-yaml stops shipping one.
const requireFromRoot = createRequire(path.join(root, 'package.json'));
const jsYamlCommonJs = {
  name: 'js-yaml-commonjs',
  setup(build) {
    const file = requireFromRoot.resolve('js-yaml');
    if (!/\.c?js$/.test(file) || !/module\.exports|exports\./.test(fs.readFileSync(file, 'utf8'))) throw new Error(`js-yaml-commonjs: ${file} is not a CommonJS build`);
    build.onResolve({ filter: /^js-yaml$/ }, () => ({ path: file }));
  },
};

/**
 * The engine build, for the parse cache: a hash of everything that decides what a parse gives (the
 * sources, data, schemas and the locked dependencies), so that entries of another build are never read.
 */
function engineBuild() {
  const h = createHash('sha256');
  const walk = (rel) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) for (const e of fs.readdirSync(abs).sort()) walk(path.join(rel, e));
    else h.update(`${rel}\0`).update(fs.readFileSync(abs)).update('\0');
  };
  for (const rel of ['src', 'data', 'schemas', 'package-lock.json']) walk(rel);
  return h.digest('hex').slice(0, 32);
}

const SDKS = ['@aws-sdk/client-pricing', '@google-cloud/billing'];
const common = {
  define: { __ENGINE_BUILD__: JSON.stringify(engineBuild()) },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [yamlPlugin, yamlEnvPlugin, jsYamlCommonJs],
  absWorkingDir: root,
  legalComments: 'none',
};

function listTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listTests(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const builds = [
  // The price SDKs stay outside the bundle: loaded from node_modules only when live pricing is on.
  // import() of the SDKs becomes require(): the CLI runs from V8's code cache (src/cli/compile-cache.ts),
  // and code from that cache has no dynamic import callback on Node 20.
  esbuild.build({ ...common, entryPoints: { cli: 'src/cli/main.ts', 'compile-cache': 'src/cli/compile-cache.ts', 'parse-worker': 'src/core/parse/worker.ts', 'prices-update': 'src/cli/prices-update.ts', 'bench-incremental': 'scripts/bench-incremental.ts' }, outdir: 'dist', external: SDKS, supported: { 'dynamic-import': false } }),
];
const tests = listTests(path.join(root, 'test'));
if (fs.existsSync(path.join(root, 'test/e2e/emulators-entry.ts'))) {
  builds.push(esbuild.build({ ...common, entryPoints: { emulators: 'test/e2e/emulators-entry.ts' }, outdir: 'out/e2e' }));
}
if (tests.length) {
  // A test file removed from test/ must not keep running from a stale build.
  fs.rmSync(path.join(root, 'out/test'), { recursive: true, force: true });
  builds.push(esbuild.build({ ...common, entryPoints: tests, outdir: 'out/test', outbase: 'test', external: ['mocha', ...SDKS] }));
}
if (fs.existsSync(path.join(root, 'src/extension/extension.ts'))) {
  builds.push(esbuild.build({ ...common, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode', ...SDKS], minify: true }));
  // The engine, loaded on the first command that needs it (activation loads none of it).
  builds.push(esbuild.build({ ...common, entryPoints: { engine: 'src/extension/engine.ts' }, outdir: 'dist', minify: true }));
  // Live pricing for the extension, SDKs included, loaded only when pricing.mode is live.
  builds.push(esbuild.build({ ...common, entryPoints: { live: 'src/extension/live-entry.ts' }, outdir: 'dist', minify: true, sourcemap: false }));
}
if (fs.existsSync(path.join(root, 'webview/main.ts'))) {
  // The webview bundle: browser code, no eval (its CSP forbids it), styles and the codicon font beside it.
  builds.push(esbuild.build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: { webview: 'webview/main.ts' }, outdir: 'dist', minify: true }));
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(root, 'webview/style.css'), path.join(root, 'dist/webview.css'));
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(root, 'node_modules/@vscode/codicons/dist', f), path.join(root, 'dist', f));
}
await Promise.all(builds);
