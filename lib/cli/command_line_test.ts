import { assertEquals, assertStringIncludes } from "../testing/asserts.ts";
import { formatUsage } from "./command_line.ts";
import { clientSpec } from "./poetry.ts";

Deno.test("formatUsage() lists the synopsis, the options and --help", () => {
  const usage = formatUsage(clientSpec("part2:blocking-client", "Gets poetry."));
  assertStringIncludes(usage, "usage: deno task part2:blocking-client [options] ADDRESS...");
  assertStringIncludes(usage, "--print");
  assertStringIncludes(usage, "-h, --help");
  assertStringIncludes(usage, "deno task part2:blocking-client 10000 10001 10002");
});

Deno.test("formatUsage() ends the synopsis at [options] for a script without arguments", () => {
  const usage = formatUsage({
    task: "part4:scaling",
    args: "",
    description: "Times.",
    options: {},
  });
  assertEquals(usage.split("\n")[0], "usage: deno task part4:scaling [options]");
});
