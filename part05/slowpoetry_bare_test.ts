import { assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import { runDeno, startServer } from "../lib/testing/run_task.ts";

const BARE = ["run", "--allow-net=127.0.0.1", "--allow-read=poetry", "part05/slowpoetry_bare.ts"];

Deno.test("slowpoetry_bare.ts serves a poem byte for byte and ends with 130 on Ctrl-C", async () => {
  const server = await startServer([
    ...BARE,
    "--port",
    "0",
    "--delay",
    "0.001",
    "poetry/fascination.txt",
  ]);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  const received = new Uint8Array(await new Response(conn.readable).arrayBuffer());
  const { code, stderr } = await server.stop();
  assertEquals(received, await Deno.readFile("poetry/fascination.txt"));
  assertEquals(code, 130, stderr);
});

Deno.test("slowpoetry_bare.ts: bad input is one error line, the usage, and status 2", async () => {
  for (const args of [["--port", "x", "poetry/science.txt"], ["--port", "0"], ["--colour"]]) {
    const { code, stderr } = await runDeno([...BARE, ...args]);
    assertEquals(code, 2, stderr);
    assertMatch(stderr, /^error: .+\nusage: slowpoetry_bare\.ts /);
  }
});
