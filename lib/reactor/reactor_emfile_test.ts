import { assertEquals, assertMatch, assertStringIncludes } from "../testing/asserts.ts";

Deno.test("reportError and Failure.getTraceback out of descriptors (ulimit -n 64) leave the stack out and says why, instead of killing Deno", async () => {
  const child = new Deno.Command("bash", {
    args: [
      "-c",
      'ulimit -n 64 && exec deno run --allow-net=127.0.0.1 "$0"',
      "lib/testing/out_of_descriptors.ts",
    ],
    stdin: "null",
    env: { NO_COLOR: "1" },
    signal: AbortSignal.timeout(60_000),
  });
  const { code, stdout, stderr } = await child.output();
  const [out, err] = [new TextDecoder().decode(stdout), new TextDecoder().decode(stderr)];
  assertEquals(code, 0, err);
  assertMatch(out, /^survived, after \d+ connections$/m);
  assertStringIncludes(
    err,
    "Unhandled error in a reactor callback (the test):\nError: reported with no descriptor left\n" +
      "    [stack not shown: the process is out of file descriptors, and Deno needs one to read a stack]",
  );
  assertStringIncludes(
    err,
    "Error: a Failure with no descriptor left\n    [stack not shown: the process is out of file descriptors",
  );
  // With descriptors again, the stack is back.
  assertMatch(err, /Error: reported with descriptors again\n {4}at .*out_of_descriptors\.ts:\d+/);
});
