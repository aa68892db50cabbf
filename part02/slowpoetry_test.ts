import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import {
  type BadInput,
  runDeno,
  runTask,
  taskArgs,
  testBadInputs,
} from "../lib/testing/run_task.ts";
import { connectAndReset } from "../lib/testing/sockets.ts";
import { assertShows, shownOutput, shownOutputs } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));
import { stopServers } from "../lib/testing/poetry_servers.ts";
import { startServer } from "./_processes.ts";

/** Reads everything a server sends, with a plain Deno connection. */
async function download(port: number): Promise<Uint8Array> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    return new Uint8Array(await new Response(conn.readable).arrayBuffer());
  } catch (error) {
    conn.close();
    throw error;
  }
}

for (const poem of ["poetry/ecstasy.txt", "poetry/fascination.txt", "poetry/science.txt"]) {
  Deno.test(`slowpoetry serves every byte of ${poem} intact, in chunks of --num-bytes`, async () => {
    const server = await startServer({ poem, delay: 0.002, numBytes: 7 });
    try {
      const received = await download(server.port);
      assertEquals(received, await Deno.readFile(poem));
      const output = server.output();
      assertStringIncludes(output, `Serving ${poem} on port ${server.port}.`);
      assertMatch(output, /^Somebody at 127\.0\.0\.1:\d+ wants poetry!$/m);
      const chunks = output.match(/^Sending \d+ bytes$/gm) ?? [];
      assertEquals(chunks.length, Math.ceil(received.length / 7));
      assertEquals(chunks[0], "Sending 7 bytes");
    } finally {
      await stopServers([server]);
    }
  });
}

Deno.test("the chapter's netcat run shows the beginning of ecstasy.txt, as the server sends it", async () => {
  const { lines } = shownOutput(chapter, "cat < /dev/tcp/127.0.0.1/10000");
  const poem = await Deno.readTextFile("poetry/ecstasy.txt");
  assert(lines.length > 1 && poem.startsWith(lines.join("\n")), lines.join("\n"));
  assertShows({ command: "cat", lines, at: 0 }, lines.join("\n"));
});

Deno.test("slowpoetry defaults to 10 bytes every 0.1 s on 127.0.0.1", async () => {
  const server = await startServer({ poem: "poetry/science.txt", delay: 0.1, numBytes: 10 });
  const defaults = await runTask("part2:slowpoetry", ["--help"]);
  try {
    assertStringIncludes(defaults.stdout, "(default: 0.1)");
    assertStringIncludes(defaults.stdout, "(default: 10)");
    assertStringIncludes(defaults.stdout, "(default: 127.0.0.1)");
    const start = performance.now();
    const received = await download(server.port);
    const seconds = (performance.now() - start) / 1000;
    assertEquals(received.length, 653);
    assert(seconds >= 6.6 - 0.01, `66 chunks at 0.1 s took only ${seconds} s`);
  } finally {
    await stopServers([server]);
  }
});

Deno.test("slowpoetry goes on serving after a client leaves in the middle of a poem", async () => {
  const server = await startServer({ poem: "poetry/ecstasy.txt", delay: 0.005, numBytes: 10 });
  try {
    const early = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await early.read(new Uint8Array(10));
    early.close();
    assertEquals((await download(server.port)).length, 3003);
    assertMatch(server.output(), /^Lost the client at 127\.0\.0\.1:\d+: /m);
    assertEquals(server.output().match(/wants poetry!/g)?.length, 2);
    // How many chunks went out before the server noticed, and how, depends on timing.
    const block = shownOutputs(chapter).find((block) =>
      block.command.startsWith("deno task part2:slowpoetry")
    );
    assert(block, "the chapter shows the server's output");
    assertShows(block, server.output(), {
      timing: [/^Sending \d+ bytes$/, /^Lost the client at /],
    });
  } finally {
    await stopServers([server]);
  }
});

Deno.test("slowpoetry goes on serving after a client resets its connection before it is served", async () => {
  const server = await startServer({ poem: "poetry/science.txt", delay: 0.002, numBytes: 50 });
  try {
    await connectAndReset(["127.0.0.1", server.port]);
    // Whether the reset came before the accept or after it, it costs only that connection.
    assertEquals((await download(server.port)).length, 653);
    assertMatch(
      server.output(),
      /^(Could not accept a connection|Lost the client at 127\.0\.0\.1:\d+): /m,
    );
  } finally {
    await stopServers([server]);
  }
});

Deno.test("slowpoetry rejects an empty poem file like a missing one", async () => {
  // The task may read only poetry/ and lib/; this run may also read the test's empty file.
  const args = (await taskArgs("part2:slowpoetry")).map((arg) =>
    arg.startsWith("--allow-read=") ? `${arg},part02/_testdata` : arg
  );
  const { code, stderr } = await runDeno([...args, "part02/_testdata/empty.txt"]);
  assertEquals(
    stderr.split("\n")[0],
    "error: Cannot serve poem file part02/_testdata/empty.txt: it is empty",
  );
  assertEquals(code, 2);
});

const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const takenPort = (taken.addr as Deno.NetAddr).port;
taken.close();

const badInputs: BadInput[] = [
  ["no poem file", [], "Give exactly one poem file"],
  [
    "a missing poem file",
    ["poetry/missing.txt"],
    "Cannot read poem file poetry/missing.txt: No such file",
  ],
  [
    "an unreadable poem file",
    ["deno.json"],
    "Cannot read poem file deno.json: part2:slowpoetry may read files only in poetry and lib; " +
    "to allow deno.json, run: deno run '--allow-net=127.0.0.1,localhost,[::1]' " +
    "--allow-read=poetry,lib,deno.json part02/slowpoetry.ts deno.json",
  ],
  ["a directory for a poem", ["poetry"], "Cannot read poem file poetry: Is a directory"],
  [
    "a port that is not a number",
    ["--port", "abc", "poetry/science.txt"],
    "--port must be a port number",
  ],
  [
    "a port out of range",
    ["--port", "70000", "poetry/science.txt"],
    '--port must be a port number from 0 to 65535, got "70000"',
  ],
  [
    "a negative delay",
    ["--delay=-1", "poetry/science.txt"],
    '--delay must be a number of seconds, 0 or more, got "-1"',
  ],
  ["a delay that is not a number", ["--delay", "soon", "poetry/science.txt"], "--delay must be"],
  [
    "num-bytes below 1",
    ["--num-bytes", "0", "poetry/science.txt"],
    "--num-bytes must be a whole number, 1 or more",
  ],
  ["an unknown option", ["--speed", "3", "poetry/science.txt"], "Unknown option '--speed'"],
  [
    "an interface the task may not use",
    ["--iface", "0.0.0.0", "poetry/science.txt"],
    "Cannot listen on 0.0.0.0:0: part2:slowpoetry may use the network only on 127.0.0.1, " +
    "localhost and [::1]; to allow 0.0.0.0, run: deno run " +
    "'--allow-net=127.0.0.1,localhost,[::1],0.0.0.0' --allow-read=poetry,lib " +
    "part02/slowpoetry.ts --iface 0.0.0.0 poetry/science.txt",
  ],
];
testBadInputs("part2:slowpoetry", badInputs);

Deno.test("slowpoetry reports a port already in use in one line, with the usage, and exits with 2", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: takenPort });
  try {
    const { code, stderr } = await runTask("part2:slowpoetry", [
      "--port",
      String(takenPort),
      "poetry/science.txt",
    ]);
    assertEquals(code, 2);
    assertStringIncludes(
      stderr.split("\n")[0],
      `error: Cannot listen on 127.0.0.1:${takenPort}: Address already in use`,
    );
    assertStringIncludes(stderr, "usage: deno task part2:slowpoetry");
  } finally {
    listener.close();
  }
});
