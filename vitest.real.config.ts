import { defineConfig } from "vitest/config"

// The real-client suite: real Claude Code and Codex in a private tmux server, one file at a time (each runs several
// full clients on a 2-core machine).
export default defineConfig({
  test: {
    include: ["test/real/**/*.test.ts"],
    globalSetup: ["test/real/support/globalSetup.ts"],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: "forks",
    fileParallelism: false
  }
})
