#!/usr/bin/env node
import { runNew } from './new-cli';

process.exitCode = runNew(process.argv.slice(2));
