import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The real-client suite has its own command (npm run test:real) and configuration.
    exclude: ["test/real/**", "node_modules/**"],
    // A real PostgreSQL server for the PostgreSQL layers' tests (skipped without one, unless CI is set).
    globalSetup: ["test/support/pg/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks"
  }
})
