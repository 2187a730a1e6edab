/**
 * A bare node:http server answering every request with the bytes of one file (a Cohort
 * page saved by bench/run.ts): what this machine can serve with no framework at all.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const body = readFileSync(process.env.BENCH_BARE_FILE!);
const type = process.env.BENCH_BARE_TYPE ?? "text/html; charset=utf-8";
const server = createServer((_req, res) => {
  res.writeHead(200, { "Content-Type": type, "Content-Length": body.length });
  res.end(body);
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.once("SIGTERM", () => server.close(() => process.exit(0)));
