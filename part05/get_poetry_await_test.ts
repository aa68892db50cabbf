import {
  checkBadCommandLines,
  checkInterrupt,
  checkPrint,
  checkRefused,
  checkThreePoems,
} from "./_client_checks.ts";

const TASK = "part5:get-poetry-await";

for (const [version, args] of [["inlineCallbacks", []], ["async/await", ["--async"]]] as const) {
  Deno.test(`${TASK} with ${version} downloads three poems at once`, async () => {
    await checkThreePoems(TASK, [...args]);
  });

  Deno.test(`${TASK} with ${version} reports a refused connection, the others finish`, async () => {
    await checkRefused(TASK, [...args]);
  });
}

Deno.test(`${TASK} --print prints each poem whole`, async () => {
  await checkPrint(TASK);
});

Deno.test(`${TASK} rejects a bad command line with one line, the usage and status 2`, async () => {
  await checkBadCommandLines(TASK);
});

Deno.test(`${TASK} on Ctrl-C reports the poem lost and exits cleanly`, async () => {
  await checkInterrupt(TASK);
});
