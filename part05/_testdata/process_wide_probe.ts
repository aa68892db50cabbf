/**
 * What a Worker's calls do to the whole process, beyond what
 * `part5:shared-state` shows, for `shared_state_test.ts`: a Worker's
 * `Deno.umask` (which needs `--allow-sys`), its SIGINT listener, and its
 * `Deno.exit`. Prints one line per finding; the test sends SIGINT when it
 * sees `listening`.
 *
 *     deno run --allow-read=part05 --allow-sys part05/_testdata/process_wide_probe.ts
 *
 * @module
 */

const url = new URL("./process_wide_worker.ts", import.meta.url);

/** Runs the Worker's `what`; resolves with its first message, or "silence" after a second. */
function inWorker(what: string): Promise<string> {
  const worker = new Worker(url, { type: "module", name: what });
  return new Promise((resolve) => {
    const end = (answer: string): void => {
      clearTimeout(timer);
      worker.terminate();
      resolve(answer);
    };
    const timer = setTimeout(() => end("silence"), what === "sigint" ? 10_000 : 1000);
    worker.onmessage = (event) => {
      if (event.data === "listening") console.log("listening");
      else end(String(event.data));
    };
  });
}

await inWorker("umask"); // sets 0o067, a mask nobody uses
console.log(`umask in the main thread: ${Deno.umask() === 0o067 ? "changed" : "unchanged"}`);
console.log(await inWorker("sigint"));
console.log(`exit: ${await inWorker("exit")}`);
console.log("main thread still running");
