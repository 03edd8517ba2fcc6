#!/usr/bin/env node
'use strict';
// The CLI bundle, run with V8's code cache (src/cli/compile-cache.ts).
require('../dist/compile-cache.js').runWithCompileCache(require.resolve('../dist/cli.js'));
