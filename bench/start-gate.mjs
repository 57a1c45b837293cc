// Preloaded (`node --import ./bench/start-gate.mjs …`) into a process that must begin its work at a
// set moment: blocks until VOR_BENCH_START_AT (epoch milliseconds), then lets the process run. Plain
// JavaScript, so the process it delays needs no TypeScript loader. bench/load.ts starts raw autocannon
// this way beside the closed model, which waits for the same moment itself (bench/load-client.ts).
/* global process */
const startAt = Number(process.env.VOR_BENCH_START_AT ?? 0);
const wait = startAt - Date.now();
if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(wait, 60_000));
