// Loads dist/extension.js and calls activate() with a stand-in for the vscode module that accepts
// every call, to measure the extension's own activation cost (module load + registrations).
'use strict';
const Module = require('node:module');
const path = require('node:path');
const get = (_t, k) => (k === 'then' ? undefined : k === Symbol.toPrimitive ? () => '' : any);
// The bundle's ESM interop copies the module's own keys and keeps its prototype: a catch-all
// prototype makes every lookup through the copy answer too.
const proto = new Proxy({}, { get });
const any = new Proxy(function () {}, { get, set: () => true, apply: () => any, construct: () => any, getPrototypeOf: () => proto });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (req, ...rest) {
  return req === 'vscode' ? 'vscode' : resolve.call(this, req, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: any };
const t0 = process.hrtime.bigint();
const ext = require(path.join(__dirname, '..', 'dist', 'extension.js'));
const loaded = process.hrtime.bigint();
ext.activate({ subscriptions: [], extensionUri: any, globalStorageUri: any, secrets: any });
const done = process.hrtime.bigint();
process.stdout.write(JSON.stringify({ loadMs: Number(loaded - t0) / 1e6, activateMs: Number(done - loaded) / 1e6 }) + '\n');
