import {
  checkBadCommandLines,
  checkInterrupt,
  checkPrint,
  checkRefused,
  checkThreePoems,
} from "./_client_checks.ts";

const TASK = "part5:get-poetry-deferred";

Deno.test(`${TASK} downloads three poems at once, with the earlier chapters' lines`, async () => {
  await checkThreePoems(TASK);
});

Deno.test(`${TASK} reports a refused connection for its task, and the others finish`, async () => {
  await checkRefused(TASK);
});

Deno.test(`${TASK} --print prints each poem whole`, async () => {
  await checkPrint(TASK);
});

Deno.test(`${TASK} rejects a bad command line with one line, the usage and status 2`, async () => {
  await checkBadCommandLines(TASK);
});

Deno.test(`${TASK} on Ctrl-C reports the poem lost and exits cleanly`, async () => {
  await checkInterrupt(TASK);
});
