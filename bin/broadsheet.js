#!/usr/bin/env node
// The compiled CLI lives in lib/ (built by `npm install` through the prepare script).
import { runCli } from '../lib/cli.js';

process.exitCode = await runCli(process.argv.slice(2));
