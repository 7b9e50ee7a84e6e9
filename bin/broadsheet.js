#!/usr/bin/env node
// The compiled CLI lives in lib/ (compiled by npm run build, npm test and npm pack).
import { limitHeapGrowth } from '../lib/pipeline/heap-growth.js';
import { runCli } from '../lib/cli.js';

limitHeapGrowth();
process.exitCode = await runCli(process.argv.slice(2));
