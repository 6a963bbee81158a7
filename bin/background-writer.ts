/**
 * Writes files on a worker thread while the main thread goes on computing. Synth is CPU-bound
 * on cdktf, and writing dist/ (one review copy per node: 1,000 files at 1,000 workers) is mostly
 * system-call time that a second core can absorb. The API stays synchronous: `finish()` blocks
 * (Atomics.wait) until every file is on disk and throws the first write error.
 *
 *   const writer = new BackgroundWriter();
 *   writer.write(dir, files);     // returns at once; the worker creates folders and writes
 *   ...                           // compute something else
 *   writer.finish();              // everything is written, or this throws
 *
 * Why it is kept (issue 15: an optimisation stays only for >= 10 % of synth time, output-identical):
 * at 1,000 workers it took 0.2 s off 1.62 s (12 %, README "Performance", interleaved A/B on an idle
 * machine); the writes it moves off the main thread cost 0.1-0.27 s of cpu (1,114 files, 11 MB, ext4).
 * It saves nothing on one core. Same trees as synchronous writes (A/B on lab.yaml and 1,000 workers).
 */
import { dirname, join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export interface FileToWrite {
  /** Relative to the folder passed to `write`. */
  readonly path: string;
  readonly content: string;
}

/** The worker: plain JS (no bundle, no TypeScript), only node: modules. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { port, state } = workerData;
const made = new Set();
let failure = null;
port.on('message', (batch) => {
  if (batch === null) {
    port.postMessage(failure);
    Atomics.store(state, 0, 1);
    Atomics.notify(state, 0);
    port.close();
    return;
  }
  if (failure) return;
  for (const [dir, file, content] of batch) {
    try {
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      fs.writeFileSync(file, content);
    } catch (e) {
      failure = { file, message: String(e && e.message) };
      return;
    }
  }
});
`;

/** How long finish() waits for the worker before it gives up (a wedged disk, a dead worker). */
const FINISH_TIMEOUT_MS = 300_000;

export class BackgroundWriter {
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private done = false;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, state: this.state }, transferList: [port2] });
    this.worker.unref();
  }

  /** Queues `files` under `dir`; returns at once. */
  write(dir: string, files: readonly FileToWrite[]): void {
    if (this.done) throw new Error('BackgroundWriter: write() after finish()');
    this.port.postMessage(files.map((f) => {
      const file = join(dir, f.path);
      return [dirname(file), file, f.content];
    }));
  }

  /** Blocks until every queued file is written; throws the first failure. Later calls do nothing. */
  finish(): void {
    const failure = this.drain();
    if (failure) throw new Error(`could not write ${failure.file}: ${failure.message}`);
  }

  /** Like finish(), for error paths: waits for the worker so no file appears later, never throws. */
  abort(): void {
    try {
      this.drain();
    } catch {
      // the original error matters more
    }
  }

  private drain(): { file: string; message: string } | null {
    if (this.done) return null;
    this.done = true;
    this.port.postMessage(null);
    const waited = Atomics.wait(this.state, 0, 0, FINISH_TIMEOUT_MS);
    const reply = receiveMessageOnPort(this.port);
    this.port.close(); // the worker has closed its end too: its event loop is empty and it ends
    if (waited === 'timed-out') {
      void this.worker.terminate();
      throw new Error(`the file writer thread did not finish within ${FINISH_TIMEOUT_MS / 1000} s`);
    }
    return (reply?.message as { file: string; message: string } | null | undefined) ?? null;
  }
}
