/**
 * Run by a test: a pool whose calls went through the ring, stopped once
 * they are back, must let the script end by itself (nothing left ref'd).
 *
 * @module
 */

import { ThreadPool } from "../threadpool.ts";

const work = new URL("./work.ts", import.meta.url);
const pool = new ThreadPool(0, 2);
pool.start();
const results = await Promise.all(
  [1, 2, 3].map((n) =>
    new Promise((resolve, reject) =>
      pool.callInThreadWithCallback(
        (ok, r) => ok ? resolve(r) : reject(r),
        work,
        "echoLater",
        n,
        50,
      )
    )
  ),
);
pool.stop();
console.log(`results: ${results.join(" ")}`);
