/** What the PostgreSQL end-to-end tests share: hosts of servers on one bus, fresh schemas, and their cleanup. */
import { Effect } from "effect"
import { randomBytes } from "node:crypto"
import { join } from "node:path"
import { makeTempDir, serverPool } from "../mcpClient.js"
import { adminQuery, pgUrl } from "./pgLayers.js"

/** The environment of a host `name` on the bus in `schema`. */
export const hostEnv = (name: string, schema: string, url = pgUrl) => ({
  HELIOY_BUS_URL: url,
  HELIOY_BUS_PG_SCHEMA: schema,
  HELIOY_HOST: name
})

/** The messages of a get_messages result as `[from, content]` pairs. */
export const contents = (result: Record<string, unknown>) =>
  (result.result as ReadonlyArray<{ readonly content: string; readonly from: string }>).map((m) => [m.from, m.content])

/** Servers on hosts of PostgreSQL buses, and the schemas they use; `cleanUp` closes and drops them all. */
export const pgHosts = () => {
  const servers = serverPool()
  const schemas: Array<string> = []
  return {
    servers,
    /** A fresh schema name (dropped at cleanup). */
    freshSchema: () => {
      const schema = `hb_e2e_${randomBytes(6).toString("hex")}`
      schemas.push(schema)
      return schema
    },
    /** A host: its own home and bus dir, the shared bus in `schema`; starts servers as `agentId`. */
    host: (name: string, schema: string, url = pgUrl) => {
      const root = makeTempDir(`helioy-pg-${name}-`)
      return (agentId: string) =>
        servers.start({ home: root, busDir: join(root, "bus"), agentId, env: hostEnv(name, schema, url) })
    },
    cleanUp: async () => {
      await servers.closeAll()
      for (const schema of schemas.splice(0)) {
        await Effect.runPromise(adminQuery(pgUrl, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
      }
    }
  }
}
