import {
  assertEveryBlockChecked,
  assertExcerptsTrue,
  assertTaskLinesCurrent,
} from "../lib/testing/chapter.ts";
import { assertEquals, assertStringIncludes } from "../lib/testing/asserts.ts";

const front = new URL("README.md", import.meta.url);

Deno.test("every task line chapter 5 shows is what deno task prints today", async () => {
  await assertTaskLinesCurrent(new URL(".", import.meta.url));
});

Deno.test("chapter 5's front page: no output block or excerpt goes unchecked", async () => {
  // It shows commands to start servers (```sh) and no run: a block added later must be checked.
  await assertEveryBlockChecked(front, {});
  await assertExcerptsTrue(front, []);
});

Deno.test("chapter 5's pages use one set of ports, the tutorial's and chapters 2 and 4's", async () => {
  const pages = [
    "README.md",
    "section1_protocols.md",
    "section2_get_poetry.md",
    "section5_server.md",
  ];
  for (const name of pages) {
    const text = await Deno.readTextFile(new URL(name, import.meta.url));
    // Ports in commands and addresses: 10000-10003 and 10009 only (the loopback clients' own
    // ephemeral ports, after a "client at", are the kernel's).
    const ports = [...text.matchAll(/(?:--port |:|\s)(1\d{4})\b/g)].map((m) => m[1]);
    const others = ports.filter((port) => !/^1000[01239]$/.test(port));
    assertEquals(others, [], `${name} uses other ports`);
  }
  const frontPage = await Deno.readTextFile(front);
  assertStringIncludes(frontPage, "git clone https://github.com/jdavisp3/twisted-intro.git");
});

Deno.test("chapter 5's front page lists every part5 task, in deno task's order, the pages' order", async () => {
  const { tasks } = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  const inDenoJson = Object.keys(tasks).filter((name) => name.startsWith("part5:"));
  const table = (await Deno.readTextFile(front)).split("\n").filter((line) => /^\| \d /.test(line));
  const listed = table.flatMap((row) => [...row.matchAll(/`(part5:[\w-]+)`/g)].map((m) => m[1]));
  assertEquals(listed, inDenoJson);
});
