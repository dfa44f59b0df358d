import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Layer, Option } from "effect"
import * as BusConfigLive from "../../src/layers/BusConfigLive.js"
import * as SessionEnvLive from "../../src/layers/SessionEnvLive.js"
import { BusConfig } from "../../src/services/BusConfig.js"
import { SessionEnv } from "../../src/services/SessionEnv.js"

const fromEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("BusConfig: every setting read in one place", () => {
  it.effect("an empty environment gives the written-down defaults", () =>
    Effect.gen(function*() {
      expect(yield* BusConfigLive.make.pipe(fromEnv({}))).toEqual(BusConfigLive.defaults)
    }))

  it.effect("each variable sets its setting, in its unit", () =>
    Effect.gen(function*() {
      const read = yield* BusConfigLive.make.pipe(fromEnv({
        HELIOY_BUS_DIR: "/srv/bus",
        HELIOY_BUS_MAX_UNREAD: "20",
        HELIOY_BUS_NUDGE_THROTTLE_SECONDS: "1.5",
        HELIOY_BUS_BUSY_TIMEOUT_MS: "250",
        HELIOY_BUS_ARCHIVE_TTL_DAYS: "2",
        HELIOY_WARROOM_READY_SECONDS: "5",
        HELIOY_BASE: "/src",
        HELIOY_CODEX_DAEMON: "off",
        HELIOY_BUS_MAIL_WATCH: "false"
      }))
      expect(read).toMatchObject({
        busDir: "/srv/bus",
        maxUnread: 20,
        reposBase: "/src",
        codexDaemon: false,
        mailWatch: false
      })
      expect(Duration.toMillis(read.nudgeThrottle)).toBe(1500)
      expect(Duration.toMillis(read.busyTimeout)).toBe(250)
      expect(Duration.toHours(read.archiveTtl)).toBe(48)
      expect(Duration.toSeconds(read.warroomReadyWait)).toBe(5)
    }))

  it.effect("a malformed variable fails with a ConfigError that names it", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(BusConfigLive.make.pipe(fromEnv({ HELIOY_BUS_MAX_UNREAD: "lots" })))
      expect(String(error)).toContain("HELIOY_BUS_MAX_UNREAD")
    }))

  it.effect("layer(overrides) is the defaults with those fields replaced, whatever the environment says", () =>
    Effect.gen(function*() {
      const config = yield* Effect.provide(BusConfig, BusConfigLive.layer({ maxUnread: 3 })).pipe(
        fromEnv({ HELIOY_BUS_MAX_UNREAD: "9" })
      )
      expect(config).toEqual({ ...BusConfigLive.defaults, maxUnread: 3 })
    }))

  it.effect("layerFromEnv(overrides) reads the environment and fixes the overridden fields", () =>
    Effect.gen(function*() {
      const layer = BusConfigLive.layerFromEnv({ busDir: "/fixed" }).pipe(
        Layer.provide(
          Layer.setConfigProvider(
            ConfigProvider.fromMap(new Map([["HELIOY_BUS_DIR", "/env"], ["HELIOY_BUS_MAX_UNREAD", "7"]]))
          )
        )
      )
      const config = yield* Effect.provide(BusConfig, layer)
      expect(config.busDir).toBe("/fixed")
      expect(config.maxUnread).toBe(7)
    }))
})

describe("SessionEnv: the session's hints, read once", () => {
  it.effect("reads each hint trimmed, \"\" when unset; HELIOY_AGENT_TYPE outranks HELIOY_BUS_AGENT_TYPE", () =>
    Effect.gen(function*() {
      const hints = yield* SessionEnvLive.make.pipe(fromEnv({
        HELIOY_AGENT_ID: " api:backend ",
        HELIOY_AGENT_TYPE: "reviewer",
        HELIOY_BUS_AGENT_TYPE: "general",
        TMUX_PANE: "%3",
        HELIOY_BUS_CWD: "/work/api"
      }))
      expect(hints).toMatchObject({
        agentId: "api:backend",
        agentType: "reviewer",
        tmuxPane: "%3",
        cwd: "/work/api",
        sessionId: ""
      })
      const busType = yield* SessionEnvLive.make.pipe(fromEnv({ HELIOY_BUS_AGENT_TYPE: "general" }))
      expect(busType.agentType).toBe("general")
    }))

  it.effect("pidFrom takes the first variable holding a process id above 1, and never fails", () =>
    Effect.gen(function*() {
      const hints = yield* SessionEnvLive.make
      const found = yield* hints.pidFrom(["HELIOY_BUS_CLAUDE_PID", "HELIOY_BUS_CODEX_PID", "OTHER"]).pipe(
        fromEnv({ HELIOY_BUS_CLAUDE_PID: "1", HELIOY_BUS_CODEX_PID: "4242", OTHER: "77" })
      )
      expect(found).toEqual(Option.some(4242))
      const none = yield* hints.pidFrom(["HELIOY_BUS_CLAUDE_PID"]).pipe(fromEnv({ HELIOY_BUS_CLAUDE_PID: "abc" }))
      expect(none).toEqual(Option.none())
      expect(
        yield* Effect.provide(SessionEnv, SessionEnvLive.layerWith({ tmuxPane: "%9" })).pipe(
          Effect.map((env) => env.tmuxPane)
        )
      ).toBe("%9")
    }))
})
