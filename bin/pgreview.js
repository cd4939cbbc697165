#!/usr/bin/env node
// Node 22.1+ can keep the compiled bundle between runs (a cold check then skips compiling ~0.8 MB
// of JavaScript); older Node versions lack the function and compile as before.
require('node:module').enableCompileCache?.();
require('../dist/cli.js');
