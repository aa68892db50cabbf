/**
 * The Worker side of `process_wide_probe.ts`: does what its name says.
 *
 * @module
 */

const scope = self as unknown as { name: string; postMessage(message: string): void };
if (scope.name === "umask") {
  Deno.umask(0o067);
  scope.postMessage("done");
} else if (scope.name === "sigint") {
  Deno.addSignalListener("SIGINT", () => scope.postMessage("SIGINT went to the Worker"));
  scope.postMessage("listening");
} else if (scope.name === "exit") {
  setTimeout(() => scope.postMessage("the Worker went on"), 200);
  Deno.exit(3);
}
