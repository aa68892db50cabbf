import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import { runTask, startServerTask } from "../lib/testing/run_task.ts";
import { assignRoles } from "./_tally.ts";

/** The summary line's fields, without the ones that depend on timing. */
function counts(stdout: string): string {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  assertMatch(line, / wall=\d+\.\d\ds limit=\d+\.\d\ds ratio=(\d+\.\d\d|- \(\d+ failed\))$/);
  return line.replace(/ wall=.*$/, "");
}

Deno.test("assignRoles spreads the misbehaving clients the same way on every run", () => {
  const roles = assignRoles(100, { vanish: 10, reset: 5, stall: 2 });
  assertEquals(roles, assignRoles(100, { vanish: 10, reset: 5, stall: 2 }));
  const count = (role: string): number => roles.filter((r) => r === role).length;
  assertEquals([count("read"), count("vanish"), count("reset"), count("stall")], [83, 10, 5, 2]);
  assert(roles.slice(0, 10).some((r) => r === "read"), "not all the faults come first");
});

Deno.test("part5:load: 200 clients at once each get every byte of the poem", async () => {
  const server = await startServerTask("part5:slowpoetry", [
    "--port",
    "0",
    "--delay",
    "0.002",
    "--num-bytes",
    "7",
    "--backlog",
    "200",
    "poetry/ecstasy.txt",
  ]);
  try {
    const load = await runTask("part5:load", [
      ...["--clients", "200", "--delay", "0.002", "--num-bytes", "7"],
      ...["--expect", "poetry/ecstasy.txt", String(server.port)],
    ], { timeoutSeconds: 60 });
    assertEquals(load.code, 0, load.stderr);
    assertEquals(counts(load.stdout), "clients=200 ok=200 bad=0 refused=0");
    assertMatch(load.stdout, / limit=0\.86s /); // 429 chunks of 7 bytes, 0.002 s apart
  } finally {
    const { stdout } = await server.stop();
    assertStringIncludes(stdout, "Served 200 poems; 0 clients left early, 0 were cut off.");
  }
});

Deno.test("part5:load: clients that vanish, reset, stall or send junk cost the others nothing", async () => {
  const server = await startServerTask("part5:slowpoetry", [
    "--port",
    "0",
    "--delay",
    "0.005",
    "poetry/science.txt",
  ]);
  try {
    const faulty = await runTask("part5:load", [
      ...["--clients", "100", "--vanish", "10", "--reset", "10", "--stall", "5", "--junk", "10"],
      ...["--rate", "2000", "--delay", "0.005", "--expect", "poetry/science.txt"],
      String(server.port),
    ], { timeoutSeconds: 60 });
    assertEquals(faulty.code, 0, faulty.stderr);
    assertMatch(faulty.stdout, / first=\d+\.\d\ds wall=/, "the slowest first bytes");
    assertEquals(
      counts(faulty.stdout).replace(/ first=.*$/, ""),
      "clients=100 ok=65 bad=0 refused=0 vanish=10 reset=10 stall=5 junk=10",
    );
    // And the server goes on serving afterwards.
    const after = await runTask("part5:load", [
      ...["--clients", "50", "--delay", "0.005", "--expect", "poetry/science.txt"],
      String(server.port),
    ], { timeoutSeconds: 60 });
    assertEquals(counts(after.stdout), "clients=50 ok=50 bad=0 refused=0");
  } finally {
    const { stdout } = await server.stop();
    assertEquals(stdout.match(/^Lost the client at 127\.0\.0\.1:\d+: /gm)?.length, 30);
  }
});

Deno.test("part5:load: a wrong poem and a refused server are reported, with exit status 1", async () => {
  const server = await startServerTask("part5:slowpoetry", [
    "--port",
    "0",
    "--delay",
    "0.001",
    "poetry/fascination.txt",
  ]);
  let wrong;
  try {
    wrong = await runTask("part5:load", [
      ...["--clients", "3", "--delay", "0.001", "--expect", "poetry/science.txt"],
      String(server.port),
    ]);
  } finally {
    await server.stop();
  }
  assertEquals(wrong.code, 1);
  assertEquals(counts(wrong.stdout), "clients=3 ok=0 bad=3 refused=0");
  assertMatch(wrong.stdout, / ratio=- \(3 failed\)$/m, "no ratio that reads like a fast run");
  assertMatch(wrong.stderr, /^Task 1: got \d+ of 653 bytes, and byte \d+ is wrong$/m);
  const refused = await runTask("part5:load", [
    ...["--clients", "12", "--retries", "1", "--expect", "poetry/science.txt"],
    String(server.port),
  ]);
  assertEquals(refused.code, 1);
  assertEquals(counts(refused.stdout), "clients=12 ok=0 bad=0 refused=12");
  assertMatch(
    refused.stderr,
    /^Task 1: failed to connect to 127\.0\.0\.1:\d+: Connection was refused/m,
  );
  assertStringIncludes(refused.stderr, "[… 2 more failures not shown …]");
});

const badInputs: [string, string[], RegExp][] = [
  ["no address", ["--expect", "poetry/science.txt"], /^error: Give exactly one server ADDRESS$/m],
  ["no --expect", ["10000"], /^error: Give the expected poem with --expect FILE$/m],
  ["more faults than clients", [
    "--clients",
    "2",
    "--vanish",
    "3",
    "--expect",
    "poetry/science.txt",
    "1",
  ], /^error: Cannot have more misbehaving clients/m],
  ["only stalled clients", [
    "--clients",
    "2",
    "--stall",
    "2",
    "--expect",
    "poetry/science.txt",
    "1",
  ], /^error: Cannot end a run where every client stalls/m],
  [
    "a bad address",
    ["--expect", "poetry/science.txt", "localhost:x"],
    /^error: Invalid address "localhost:x"/m,
  ],
];
for (const [what, args, message] of badInputs) {
  Deno.test(`part5:load refuses ${what} with one line and the usage (status 2)`, async () => {
    const { code, stderr } = await runTask("part5:load", args);
    assertEquals(code, 2);
    assertMatch(stderr, message);
    assertStringIncludes(stderr, "usage: deno task part5:load");
  });
}

Deno.test("the chapter's section 5 shows the lines these scripts print, and their counts add up", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", import.meta.url));
  const section = readme.slice(
    readme.indexOf("<!-- section 5:"),
    readme.indexOf("<!-- end of section 5 -->"),
  );
  const summaries = section.match(/^clients=.*$/gm) ?? [];
  assert(summaries.length >= 3, "section 5 pastes summary lines");
  const fields =
    /^clients=(\d+) ok=(\d+) bad=(\d+) refused=(\d+)((?: (?:vanish|reset|stall)=\d+)*) wall=\d+\.\d\ds limit=6\.60s ratio=\d+\.\d\d$/;
  for (const line of summaries) {
    const match = fields.exec(line);
    assert(match !== null, `not a part5:load summary: ${line}`);
    const faults = [...match[5].matchAll(/=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    const [clients, ok, bad, refused] = match.slice(1, 5).map(Number);
    assertEquals(ok + bad + refused + faults, clients, line);
  }
  const prose = section.replace(/\s+/g, " ");
  assertStringIncludes(prose, "`Served 5000 poems; 1000 clients left early, 0 were cut off.`");
  assertMatch(prose, /`Lost the client at 127\.0\.0\.1:\d+: Connection was closed cleanly`/);
});
