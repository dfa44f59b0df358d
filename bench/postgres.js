/**
 * `npm run bench:pg`: the file bus and a PostgreSQL bus side by side (send p50/p99, fan-out to 100, 16 x 500, wake
 * across hosts), printed as one JSON object. The PostgreSQL server is HELIOY_BENCH_PG_URL (a superuser or a user that
 * may create schemas; the bench's schemas are dropped at the end).
 */
import { fileBusFigures, postgresBusFigures } from "./figures/busSideBySide.js"
import { cleanUp, progress } from "./support/cleanup.js"

const url = process.env.HELIOY_BENCH_PG_URL
if (!url) {
  progress("set HELIOY_BENCH_PG_URL to a postgres:// URL of a server to measure against")
  process.exit(2)
}
try {
  progress("file bus...")
  const file = await fileBusFigures()
  progress("PostgreSQL bus...")
  const postgres = await postgresBusFigures(url)
  process.stdout.write(JSON.stringify({ file, postgres }, null, 2) + "\n")
} finally {
  await cleanUp()
}
