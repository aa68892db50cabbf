import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import {
  type BadInput,
  runDeno,
  runTask,
  startServerTask,
  taskArgs,
  testBadInputs,
} from "../lib/testing/run_task.ts";
import { runInterrupted } from "./_client_checks.ts";
import { assignRoles } from "./_tally.ts";

/** The summary line's fields, without the ones that depend on timing. */
function counts(stdout: string): string {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  assertMatch(
    line,
    / wall=\d+\.\d\ds limit=\d+\.\d\ds ratio=(\d+\.\d\d|- \(\d+ (?:failed|cut off)\))$/,
  );
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
    /^Task 1: failed to connect to 127\.0\.0\.1:\d+: Connection refused$/m,
  );
  assertStringIncludes(refused.stderr, "[… 2 more failures not shown …]");
});

Deno.test("part5:load on Ctrl-C blames no one: the clients cut off are not counted, exit 130", async () => {
  const server = await startServerTask("part5:slowpoetry", ["--port", "0", "poetry/science.txt"]);
  try {
    const { code, stdout, stderr } = await runInterrupted("part5:load", [
      ...["--clients", "20", "--expect", "poetry/science.txt"],
      String(server.port),
    ], 2);
    assertEquals(code, 130);
    assertEquals(stderr, "Interrupted: 20 clients were cut off, and are not counted.\n");
    assertEquals(counts(stdout), "clients=20 ok=0 bad=0 refused=0");
    assertMatch(stdout, / ratio=- \(20 cut off\)\n$/, "no ratio that reads like a fast run");
  } finally {
    await server.stop();
  }
});

Deno.test("part5:load gives up at --timeout with a summary and status 1, no stack trace", async () => {
  const server = await startServerTask("part5:slowpoetry", ["--port", "0", "poetry/science.txt"]);
  try {
    const { code, stdout, stderr } = await runTask("part5:load", [
      ...["--clients", "5", "--timeout", "0.5", "--expect", "poetry/science.txt"],
      String(server.port),
    ]);
    assertEquals(code, 1);
    assertEquals(counts(stdout), "clients=5 ok=0 bad=5 refused=0");
    assertMatch(stderr, /^Gave up after 0\.5 s: the clients still waiting count as bad\.\n/);
    assert(!stderr.includes("ReactorNotRunning"), stderr);
    assertMatch(
      stderr,
      /^Task 1: got \d+ of 653 bytes, and it was still waiting when the run was given up$/m,
    );
  } finally {
    await server.stop();
  }
});

Deno.test("part5:load gives the deno run command for a host or a file outside its permissions", async () => {
  const flags = (await taskArgs("part5:load")).slice(1, -1);
  const host = await runTask("part5:load", ["--expect", "poetry/science.txt", "10.255.0.1:10000"]);
  const widenedNet = flags.map((f) => f.startsWith("--allow-net=") ? `'${f},10.255.0.1'` : f);
  assertEquals([host.code, host.stdout], [2, ""]);
  assertEquals(
    host.stderr,
    "error: Cannot connect to 10.255.0.1:10000: part5:load may use the network only on " +
      "127.0.0.1, localhost and [::1]; to allow 10.255.0.1, run: deno run " +
      `${widenedNet.join(" ")} part05/load.ts --expect poetry/science.txt 10.255.0.1:10000\n`,
  );
  const file = await runTask("part5:load", ["--expect", "/etc/hostname", "10000"]);
  const widenedRead = flags.map((f) => f.startsWith("--allow-read=") ? `${f},/etc/hostname` : f);
  assertEquals(file.code, 2);
  assertStringIncludes(
    file.stderr,
    "error: Cannot read poem file /etc/hostname: part5:load may read files only in poetry; " +
      "to allow /etc/hostname, run: deno run " +
      `${widenedRead.map((f) => f.includes("[") ? `'${f}'` : f).join(" ")} ` +
      "part05/load.ts --expect /etc/hostname 10000\n",
  );
});

Deno.test("part5:load refuses an empty --expect file, as the server refuses to serve one", async () => {
  const { code, stderr } = await runDeno([
    "run",
    "--allow-net=127.0.0.1",
    "--allow-read=/dev/null",
    "part05/load.ts",
    ...["--expect", "/dev/null", "10000"],
  ]);
  assertEquals(code, 2);
  assertMatch(stderr, /^error: Cannot check against poem file \/dev\/null: it is empty\n\nusage: /);
});

const badInputs: BadInput[] = [
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
testBadInputs("part5:load", badInputs);

Deno.test("the chapter's section 5 shows the lines these scripts print, and their counts add up", async () => {
  const section = await Deno.readTextFile(new URL("section5_server.md", import.meta.url));
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
