// Serving and Ctrl-C are checked beside part5:slowpoetry's, in slowpoetry_test.ts.
import { type BadInput, testBadInputs } from "../lib/testing/run_task.ts";

const badInputs: BadInput[] = [
  ["a port that is not a number", ["--port", "x", "poetry/science.txt"], "--port"],
  ["no poem file", ["--port", "0"], "Give exactly one poem file"],
  ["an unknown option", ["--colour", "poetry/science.txt"], /^error: .*colour/],
];
testBadInputs("part5:slowpoetry-bare", badInputs);
