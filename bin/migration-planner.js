#!/usr/bin/env node
'use strict';
// The CLI bundle, run with V8 tuned for a one-shot run and with V8's code cache (src/cli/compile-cache.ts).
const { tuneV8ForOneShotRun, runWithCompileCache } = require('../dist/compile-cache.js');
tuneV8ForOneShotRun();
runWithCompileCache(require.resolve('../dist/cli.js'));
