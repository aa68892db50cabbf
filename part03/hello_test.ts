import { assertEquals } from "../lib/_assert.ts";
import { runTask } from "../lib/_testing.ts";

Deno.test("part3:hello prints before the reactor runs, then from the callback", async () => {
  const { code, stdout } = await runTask("part3:hello");
  assertEquals(stdout.split("\n"), [
    "Starting the reactor.",
    "Hello from the reactor loop!",
    "Lately I feel like I'm stuck in a rut.",
    "",
  ]);
  assertEquals(code, 0);
});
