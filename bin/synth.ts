#!/usr/bin/env node
import { runSynth } from './synth-cli';

process.exitCode = runSynth(process.argv.slice(2));
// Leave now rather than wait for V8 to finish background GC work on a heap about to be freed
// (~20 ms). Only when nothing is left to flush: on platforms where pipes are asynchronous,
// pending output must drain first, so the process then ends the normal way.
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
