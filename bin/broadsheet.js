#!/usr/bin/env node
// The compiled CLI lives in lib/ (built by `npm install` through the prepare script).
import { limitHeapGrowth } from '../lib/build/heap-growth.js';
import { runCli } from '../lib/cli.js';

limitHeapGrowth();
process.exitCode = await runCli(process.argv.slice(2));
