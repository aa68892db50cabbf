import { assertEquals } from "../testing/asserts.ts";
import { explainRefusal } from "./permissions.ts";
import { clientSpec } from "./poetry.ts";

Deno.test("explainRefusal() says what the task allows and the exact command that would do what was asked", () => {
  const spec = clientSpec("part4:get-poetry", "A client.");
  const refused = new Deno.errors.NotCapable(
    'Requires net access to "[2001:db8::1]:10000", run again with the --allow-net flag',
  );
  const line = explainRefusal(spec, refused, ["[2001:db8::1]:10000", "10001"]);
  assertEquals(
    line,
    "part4:get-poetry may use the network only on 127.0.0.1, localhost and [::1]; to allow " +
      "[2001:db8::1], run: deno run '--allow-net=127.0.0.1,localhost,[::1],[2001:db8::1]' " +
      `--allow-read=lib ${
        new URL(Deno.mainModule).pathname.endsWith("lib/cli/permissions_test.ts")
          ? "lib/cli/permissions_test.ts"
          : Deno.mainModule
      } '[2001:db8::1]:10000' 10001`,
  );
  assertEquals(
    explainRefusal(spec, new Deno.errors.ConnectionRefused("Connection refused")),
    undefined,
  );
});
