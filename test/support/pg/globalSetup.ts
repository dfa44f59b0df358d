/**
 * Vitest global setup: a real PostgreSQL server for the PostgreSQL layers' tests, its URL provided as `pgUrl`. Without
 * the server binaries the URL is empty and those tests skip, unless `CI` is set: then the setup fails.
 */
import type { TestProject } from "vitest/node"
import { postgresBinDir, startPostgres } from "./postgresServer.js"

declare module "vitest" {
  export interface ProvidedContext {
    /** The test server's superuser URL; "" when no server could be started (PostgreSQL tests skip). */
    readonly pgUrl: string
  }
}

export default async function setup(project: TestProject) {
  if (postgresBinDir() === undefined) {
    if (process.env.CI) {
      throw new Error("CI is set but PostgreSQL is not installed (apt-get install postgresql); the PG tests must run")
    }
    project.provide("pgUrl", "")
    return
  }
  const server = await startPostgres()
  project.provide("pgUrl", server.url)
  return () => server.destroy()
}
