import { RegistryUnavailable } from "../../errors/stores.js"
import type { PgBusShape } from "./PgBus.js"

/**
 * Maps a SQL, driver or decode failure of the PostgreSQL bus to RegistryUnavailable: the masked URL, the driver's
 * words without secrets, what to check; the driver object is not kept (it may hold connection settings).
 */
export const pgRegistryUnavailable = (bus: PgBusShape) => (failure: unknown): RegistryUnavailable => {
  if (failure instanceof RegistryUnavailable) return failure
  const { code, reason } = bus.describe(failure)
  return new RegistryUnavailable({ reason, ...(code === undefined ? {} : { code }) })
}
