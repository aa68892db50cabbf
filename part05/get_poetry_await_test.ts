import { describeClient } from "./_client_checks.ts";

describeClient("part5:get-poetry-await", [["inlineCallbacks", []], ["async/await", ["--async"]]]);
