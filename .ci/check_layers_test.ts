import { assertEquals } from "../lib/testing/asserts.ts";
import { cycles, problems } from "./check_layers.ts";

Deno.test("problems() names each upward import, private import and cycle, from file to file", () => {
  const graph = new Map([
    ["lib/socket/select.ts", ["lib/reactor/base.ts", "lib/time/seconds.ts"]],
    ["lib/reactor/base.ts", ["lib/socket/_fd_table.ts", "lib/socket/select.ts"]],
    ["lib/reactor/posix_base.ts", ["lib/tcp/tcp.ts"]],
    ["lib/tcp/tcp.ts", []],
    ["lib/reactor/base_test.ts", ["lib/testing/asserts.ts", "lib/tcp/_private.ts"]],
  ]);
  assertEquals(problems(graph), [
    "import cycle: lib/reactor/base.ts → lib/socket/select.ts",
    "private file of another folder: lib/reactor/base.ts → lib/socket/_fd_table.ts",
    "private file of another folder: lib/reactor/base_test.ts → lib/tcp/_private.ts",
    "upward import: lib/socket/select.ts → lib/reactor/base.ts",
  ]);
});

Deno.test("cycles() finds every strongly connected group, and none in a tree", () => {
  assertEquals(cycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", []]])), []);
  assertEquals(
    cycles(new Map([["a", ["b"]], ["b", ["a", "c"]], ["c", ["d"]], ["d", ["c"]]])),
    [["c", "d"], ["a", "b"]],
  );
});
