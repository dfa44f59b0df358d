import { ensureClients } from "./clients.js"

/** Vitest global setup of the real-client suite: the pinned clients are installed before any test file runs. */
export default function setup() {
  ensureClients()
}
