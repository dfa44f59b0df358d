import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Option, TestClock } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import { dirname, join } from "node:path"
import type { AgentType } from "../../src/domain/AgentType.js"
import * as AgentCatalogLive from "../../src/layers/AgentCatalogLive.js"
import * as AgentCatalogTest from "../../src/layers/AgentCatalogTest.js"
import * as RuntimesLive from "../../src/layers/RuntimesLive.js"
import { AgentCatalog, AgentResolution } from "../../src/services/AgentCatalog.js"

const plugin = ["claude", "claude-opus", "grok", "grok-fast"]
// Gemini CLI reads the same agent files as Claude Code.
const claudeFileRuntimes = ["claude", "claude-opus", "gemini"]
const longDescription = `Explains ${"very ".repeat(60)}long things.`
const reviewerSummary = "Use this agent to review code. Examples: <example>Context: after a change</example>"

/** Writes a file, creating its directories, optionally with a fixed mtime. */
const write = (path: string, text: string, mtime?: Date) => {
  fs.mkdirSync(dirname(path), { recursive: true })
  fs.writeFileSync(path, text)
  if (mtime !== undefined) fs.utimesSync(path, mtime, mtime)
}

/** A fake home and project holding every kind of agent file the catalogue reads (and some it must skip). */
const writeFixtures = (home: string, projectDir: string) => {
  const cache = join(home, ".claude", "plugins", "cache")
  const tools = join(cache, "helioy", "helioy-tools")
  write(
    join(tools, "1.0.0", "agents", "backend-engineer.md"),
    "---\nname: backend-engineer\ndescription: \"Builds APIs and services\"\nmodel: opus\n---\n\nYou build backends.\n",
    new Date("2026-02-01T00:00:00Z")
  )
  write(
    join(tools, "1.1.0", "agents", "backend-engineer.md"),
    "---\nname: backend-engineer\ndescription: Stale backend from an older install\nmodel: haiku\n---\n",
    new Date("2025-01-01T00:00:00Z")
  )
  write(
    join(tools, "1.0.0", "agents", "frontend-engineer.md"),
    "---\nname: 'frontend-engineer'\ndescription: 'Builds UI components'\nmodel: sonnet\ncolor: blue\n---\nYou build UIs.\n"
  )
  write(
    join(tools, "1.0.0", "agents", "codebase-analyst.md"),
    [
      "---",
      "name: codebase-analyst",
      "description: >-",
      "  Analyzes local",
      "  codebases",
      "model: opus",
      "tools: [Read, Grep, Glob]",
      "tags:",
      "  - analysis",
      "  - read-only",
      "---",
      "# Codebase analyst",
      ""
    ].join("\n")
  )
  write(
    join(cache, "anthropic", "pr-review-toolkit", "1.0.0", "agents", "code-reviewer.md"),
    `---\nname: code-reviewer\ndescription: ${reviewerSummary}\nmodel: inherit\n---\n`
  )
  write(
    join(cache, "acme", "agency", "1.0.0", "agents", "code-reviewer.md"),
    "---\nname: code-reviewer\ndescription: Agency reviewer\n---\n"
  )
  const volt = join(cache, "voltagent", "voltagent-lang", "2.1.0", "agents")
  write(join(volt, "backend-engineer.md"), "---\r\nname: backend-engineer\r\ndescription: Voltagent backend\r\n---\r\n")
  write(join(volt, "long-winded.md"), `---\nname: long-winded\ndescription: ${longDescription}\n---\n`)
  write(join(volt, "no-front-matter.md"), "# Just a heading\n\nname: not-front-matter\n")
  write(join(volt, "nameless.md"), "---\ndescription: An agent without a name\n---\n")
  write(join(volt, "unclosed.md"), "---\nname: unclosed\ndescription: never closed\n")
  write(join(volt, "unsafe.md"), "---\nname: \"x; rm -rf ~\"\ndescription: A name no shell should see\n---\n")
  write(join(volt, "README.txt"), "---\nname: readme\n---\n")
  fs.mkdirSync(join(volt, "folder.md"), { recursive: true })
  write(join(cache, "loose-file.md"), "---\nname: loose\n---\n")
  write(join(home, ".claude", "agents", "my-helper.md"), "---\nname: my-helper\ndescription: Helps me\n---\n")
  write(
    join(home, ".claude", "agents", "general.md"),
    "---\nname: general\ndescription: A user agent named like the reserved role\n---\n"
  )
  write(
    join(projectDir, ".claude", "agents", "repo-guide.md"),
    "---\nname: repo-guide\ndescription: Knows this repository\nmodel: sonnet\n---\n"
  )
  const codex = join(home, ".codex", "developer_instructions")
  write(
    join(codex, "agent-browser.md"),
    "---\nname: agent-browser\ndescription: Drives a headless browser\nmodel: gpt-5.6-sol\n---\n# Browser\n"
  )
  write(join(codex, "linear.md"), "# Linear\n\nManages Linear issues.\nMore text.\n")
  write(join(codex, "openai-docs.md"), "---\ndescription: \"Answers from the OpenAI docs\"\n---\n")
  write(
    join(codex, "codebase-analyst.md"),
    "---\nname: codebase-analyst\n---\n\n# Analyst\n\nAnalyzes codebases for Codex.\n"
  )
  write(join(codex, "notes.txt"), "not an instructions file\n")
}

/** A fresh fake home and project directory with the fixtures, removed when the scope closes. */
const fakeHome = (fixtures = true) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const root = fs.mkdtempSync(join(os.tmpdir(), "helioy-catalog-"))
      const paths = { home: join(root, "home"), projectDir: join(root, "project") }
      fs.mkdirSync(paths.home)
      fs.mkdirSync(paths.projectDir)
      if (fixtures) writeFixtures(paths.home, paths.projectDir)
      return { root, ...paths }
    }),
    ({ root }) => Effect.sync(() => fs.rmSync(root, { recursive: true, force: true }))
  )

const catalogLive = Layer.unwrapScoped(Effect.map(fakeHome(), (paths) => AgentCatalogLive.layerWith(paths))).pipe(
  Layer.provide(RuntimesLive.layerTest)
)

/** The fixture files as the in-memory catalogue holds them (given out of order on purpose). */
const catalogTest = AgentCatalogTest.layerTest([
  AgentCatalogTest.agentType({
    namespace: "voltagent-lang",
    name: "long-winded",
    summary: longDescription,
    runtimes: plugin
  }),
  AgentCatalogTest.agentType({
    namespace: "helioy-tools",
    name: "codebase-analyst",
    summary: "Analyzes codebases for Codex.",
    runtimes: ["codex"]
  }),
  AgentCatalogTest.agentType({
    namespace: "helioy-tools",
    name: "backend-engineer",
    summary: "Builds APIs and services",
    model: "opus",
    runtimes: plugin
  }),
  AgentCatalogTest.agentType({
    namespace: "helioy-tools",
    name: "frontend-engineer",
    summary: "Builds UI components",
    model: "sonnet",
    runtimes: plugin
  }),
  AgentCatalogTest.agentType({
    namespace: "helioy-tools",
    name: "codebase-analyst",
    summary: "Analyzes local codebases",
    model: "opus",
    runtimes: plugin
  }),
  AgentCatalogTest.agentType({
    namespace: "pr-review-toolkit",
    name: "code-reviewer",
    summary: reviewerSummary,
    model: "inherit",
    runtimes: plugin
  }),
  AgentCatalogTest.agentType({
    namespace: "agency",
    name: "code-reviewer",
    summary: "Agency reviewer",
    runtimes: plugin
  }),
  AgentCatalogTest.agentType({
    namespace: "voltagent-lang",
    name: "backend-engineer",
    summary: "Voltagent backend",
    runtimes: plugin
  }),
  AgentCatalogTest.agentType({
    namespace: "user",
    name: "my-helper",
    summary: "Helps me",
    runtimes: claudeFileRuntimes
  }),
  AgentCatalogTest.agentType({
    namespace: "user",
    name: "general",
    summary: "A user agent named like the reserved role",
    runtimes: claudeFileRuntimes
  }),
  AgentCatalogTest.agentType({
    namespace: "project",
    name: "repo-guide",
    summary: "Knows this repository",
    model: "sonnet",
    runtimes: claudeFileRuntimes
  }),
  AgentCatalogTest.agentType({
    namespace: "codex",
    name: "agent-browser",
    summary: "Drives a headless browser",
    model: "gpt-5.6-sol",
    runtimes: ["codex"]
  }),
  AgentCatalogTest.agentType({
    namespace: "codex",
    name: "linear",
    summary: "Manages Linear issues.",
    runtimes: ["codex"]
  }),
  AgentCatalogTest.agentType({
    namespace: "codex",
    name: "openai-docs",
    summary: "Answers from the OpenAI docs",
    runtimes: ["codex"]
  })
]).pipe(Layer.provide(RuntimesLive.layerTest))

const listed = (types: ReadonlyArray<AgentType>) => types.map((type) => [type.qualified_name, type.runtime])

const specialist = (resolution: AgentResolution) =>
  AgentResolution.$match(resolution, {
    General: ({ runtime }) => `general@${runtime}`,
    Specialist: ({ agentType }) => `${agentType.qualified_name}@${agentType.runtime}`
  })

/** The AgentCatalog contract, run against every implementation holding the fixture agents. */
const catalogContract = (name: string, layer: Layer.Layer<AgentCatalog, unknown>) =>
  describe(`AgentCatalog contract: ${name}`, () => {
    it.effect("every runtime's types are listed once per file, sorted, each under the first runtime that launches it", () =>
      Effect.gen(function*() {
        const catalog = yield* AgentCatalog
        const all = yield* catalog.list(Option.none())
        expect(listed(all)).toEqual([
          ["agency:code-reviewer", "claude"],
          ["codex:agent-browser", "codex"],
          ["codex:linear", "codex"],
          ["codex:openai-docs", "codex"],
          ["helioy-tools:backend-engineer", "claude"],
          ["helioy-tools:codebase-analyst", "claude"],
          ["helioy-tools:codebase-analyst", "codex"],
          ["helioy-tools:frontend-engineer", "claude"],
          ["pr-review-toolkit:code-reviewer", "claude"],
          ["project:repo-guide", "claude"],
          ["user:general", "claude"],
          ["user:my-helper", "claude"],
          ["voltagent-lang:backend-engineer", "claude"],
          ["voltagent-lang:long-winded", "claude"]
        ])
        const backend = all.find((type) => type.qualified_name === "helioy-tools:backend-engineer")
        expect(backend).toMatchObject({
          name: "backend-engineer",
          namespace: "helioy-tools",
          summary: "Builds APIs and services",
          model: "opus",
          runtimes: plugin
        })
        expect(all.find((type) => type.qualified_name === "project:repo-guide")?.runtimes).toEqual(claudeFileRuntimes)
      }).pipe(Effect.provide(layer)))

    it.effect("one runtime's list holds only what it can launch, listed under that runtime", () =>
      Effect.gen(function*() {
        const catalog = yield* AgentCatalog
        expect(listed(yield* catalog.list(Option.some("grok")))).toEqual([
          ["agency:code-reviewer", "grok"],
          ["helioy-tools:backend-engineer", "grok"],
          ["helioy-tools:codebase-analyst", "grok"],
          ["helioy-tools:frontend-engineer", "grok"],
          ["pr-review-toolkit:code-reviewer", "grok"],
          ["voltagent-lang:backend-engineer", "grok"],
          ["voltagent-lang:long-winded", "grok"]
        ])
        expect(listed(yield* catalog.list(Option.some("codex")))).toEqual([
          ["codex:agent-browser", "codex"],
          ["codex:linear", "codex"],
          ["codex:openai-docs", "codex"],
          ["helioy-tools:codebase-analyst", "codex"]
        ])
        const opus = yield* catalog.list(Option.some("claude-opus"))
        expect(opus.map((type) => type.qualified_name)).toContain("user:my-helper")
        expect(opus.every((type) => type.runtime === "claude-opus")).toBe(true)
        expect(yield* catalog.list(Option.some("generic"))).toEqual([])
      }).pipe(Effect.provide(layer)))

    it.effect("an unknown runtime fails with UnknownRuntime listing the known ids, sorted", () =>
      Effect.gen(function*() {
        const catalog = yield* AgentCatalog
        const listError = yield* Effect.flip(catalog.list(Option.some("nope")))
        expect(listError).toMatchObject({ _tag: "UnknownRuntime", runtime: "nope" })
        expect(listError.message).toBe(
          "Unknown runtime 'nope'. Known: ['claude', 'claude-opus', 'codex', 'gemini', 'generic', 'grok', 'grok-fast']"
        )
        expect((yield* Effect.flip(catalog.resolve("backend-engineer", Option.some("nope"))))._tag).toBe(
          "UnknownRuntime"
        )
        expect((yield* Effect.flip(catalog.resolve("general", Option.some("nope"))))._tag).toBe("UnknownRuntime")
      }).pipe(Effect.provide(layer)))

    it.effect("a qualified name resolves by exact match; across runtimes the first runtime's entry wins", () =>
      Effect.gen(function*() {
        const catalog = yield* AgentCatalog
        expect(specialist(yield* catalog.resolve("voltagent-lang:backend-engineer", Option.none()))).toBe(
          "voltagent-lang:backend-engineer@claude"
        )
        expect(specialist(yield* catalog.resolve("codex:agent-browser", Option.none()))).toBe(
          "codex:agent-browser@codex"
        )
        expect(specialist(yield* catalog.resolve("helioy-tools:codebase-analyst", Option.none()))).toBe(
          "helioy-tools:codebase-analyst@claude"
        )
        expect(specialist(yield* catalog.resolve("helioy-tools:codebase-analyst", Option.some("codex")))).toBe(
          "helioy-tools:codebase-analyst@codex"
        )
        expect(specialist(yield* catalog.resolve("helioy-tools:backend-engineer", Option.some("grok-fast")))).toBe(
          "helioy-tools:backend-engineer@grok-fast"
        )
      }).pipe(Effect.provide(layer)))

    it.effect("a short name resolves uniquely, else helioy-tools first, then pr-review-toolkit", () =>
      Effect.gen(function*() {
        const catalog = yield* AgentCatalog
        expect(specialist(yield* catalog.resolve("frontend-engineer", Option.none()))).toBe(
          "helioy-tools:frontend-engineer@claude"
        )
        expect(specialist(yield* catalog.resolve("backend-engineer", Option.none()))).toBe(
          "helioy-tools:backend-engineer@claude"
        )
        expect(specialist(yield* catalog.resolve("code-reviewer", Option.none()))).toBe(
          "pr-review-toolkit:code-reviewer@claude"
        )
        expect(specialist(yield* catalog.resolve("agent-browser", Option.none()))).toBe("codex:agent-browser@codex")
        expect(specialist(yield* catalog.resolve("codebase-analyst", Option.some("codex")))).toBe(
          "helioy-tools:codebase-analyst@codex"
        )
        expect(specialist(yield* catalog.resolve("repo-guide", Option.some("claude-opus")))).toBe(
          "project:repo-guide@claude-opus"
        )
      }).pipe(Effect.provide(layer)))

    it.effect("general resolves to the bare runtime without a lookup, shadowing a catalogue agent named general", () =>
      Effect.gen(function*() {
        const catalog = yield* AgentCatalog
        expect(yield* catalog.resolve("general", Option.none())).toEqual(AgentResolution.General({ runtime: "claude" }))
        expect(yield* catalog.resolve("general", Option.some("codex"))).toEqual(
          AgentResolution.General({ runtime: "codex" })
        )
        expect(yield* catalog.resolve("general", Option.some("generic"))).toEqual(
          AgentResolution.General({ runtime: "generic" })
        )
        expect(specialist(yield* catalog.resolve("user:general", Option.none()))).toBe("user:general@claude")
      }).pipe(Effect.provide(layer)))

    it.effect("an unknown name fails with AgentTypeNotFound and suggestions from the searched catalogue", () =>
      Effect.gen(function*() {
        const catalog = yield* AgentCatalog
        const missing = yield* Effect.flip(catalog.resolve("backend", Option.none()))
        expect(missing).toMatchObject({
          _tag: "AgentTypeNotFound",
          name: "backend",
          runtime: "",
          suggestions: ["helioy-tools:backend-engineer", "voltagent-lang:backend-engineer"]
        })
        expect(missing.message).toBe(
          "Unknown agent type 'backend'. Did you mean: helioy-tools:backend-engineer, voltagent-lang:backend-engineer?"
        )
        const notForCodex = yield* Effect.flip(catalog.resolve("backend-engineer", Option.some("codex")))
        expect(notForCodex).toMatchObject({ _tag: "AgentTypeNotFound", runtime: "codex", suggestions: [] })
        expect(notForCodex.message).toContain("for runtime 'codex'")
        expect((yield* Effect.flip(catalog.resolve("helioy-tools:nothing", Option.none())))._tag).toBe(
          "AgentTypeNotFound"
        )
        expect((yield* Effect.flip(catalog.resolve("my-helper", Option.some("grok"))))._tag).toBe("AgentTypeNotFound")
      }).pipe(Effect.provide(layer)))

    it.effect("suggest gives up to 5 distinct qualified names whose name or summary contains the needle, ignoring case", () =>
      Effect.gen(function*() {
        const catalog = yield* AgentCatalog
        expect(yield* catalog.suggest("BUILDS")).toEqual([
          "helioy-tools:backend-engineer",
          "helioy-tools:frontend-engineer"
        ])
        expect(yield* catalog.suggest("analy")).toEqual(["helioy-tools:codebase-analyst"])
        expect(yield* catalog.suggest("linear issues")).toEqual(["codex:linear"])
        expect(yield* catalog.suggest("nope:reviewer")).toEqual([
          "agency:code-reviewer",
          "pr-review-toolkit:code-reviewer"
        ])
        const many = yield* catalog.suggest("e")
        expect(many).toHaveLength(5)
        expect(new Set(many).size).toBe(5)
        expect(yield* catalog.suggest("")).toEqual([])
        expect(yield* catalog.suggest("zzz")).toEqual([])
      }).pipe(Effect.provide(layer)))

    it.effect("summaries are at most 200 characters, longer ones cut to 197 plus an ellipsis", () =>
      Effect.gen(function*() {
        const catalog = yield* AgentCatalog
        const long = (yield* catalog.list(Option.none())).find((type) =>
          type.qualified_name === "voltagent-lang:long-winded"
        )
        expect(long?.summary).toHaveLength(200)
        expect(long?.summary).toBe(`${longDescription.slice(0, 197)}...`)
      }).pipe(Effect.provide(layer)))
  })

catalogContract("live (agent files under a fake HOME)", catalogLive)
catalogContract("in memory", catalogTest)

/** The live catalogue over a fresh fake home, with the home's paths. */
const liveCatalog = (fixtures = true) =>
  Effect.gen(function*() {
    const paths = yield* fakeHome(fixtures)
    const catalog = yield* Effect.provide(AgentCatalogLive.makeWith(paths), RuntimesLive.layerTest)
    return { catalog, ...paths }
  })

const byName = (types: ReadonlyArray<AgentType>, qualified: string, runtime = "claude") =>
  types.find((type) => type.qualified_name === qualified && type.runtime === runtime)

describe("AgentCatalog live discovery", () => {
  it.scoped("front matter is read as YAML: quotes, folded multi-line descriptions, lists and extra keys", () =>
    Effect.gen(function*() {
      const { catalog, home } = yield* liveCatalog()
      const all = yield* catalog.list(Option.none())
      expect(byName(all, "helioy-tools:frontend-engineer")).toMatchObject({
        summary: "Builds UI components",
        model: "sonnet"
      })
      expect(byName(all, "helioy-tools:codebase-analyst")).toEqual({
        qualified_name: "helioy-tools:codebase-analyst",
        name: "codebase-analyst",
        namespace: "helioy-tools",
        summary: "Analyzes local codebases",
        model: "opus",
        runtime: "claude",
        runtimes: plugin,
        source: join(
          home,
          ".claude",
          "plugins",
          "cache",
          "helioy",
          "helioy-tools",
          "1.0.0",
          "agents",
          "codebase-analyst.md"
        )
      })
      expect(byName(all, "user:my-helper")).toMatchObject({ namespace: "user", model: "" })
      expect(byName(all, "voltagent-lang:backend-engineer")?.summary).toBe("Voltagent backend")
    }))

  it.scoped("front matter that is not valid YAML is read line by line, as the reference reads it", () =>
    Effect.gen(function*() {
      const { catalog } = yield* liveCatalog()
      const all = yield* catalog.list(Option.none())
      expect(byName(all, "pr-review-toolkit:code-reviewer")).toMatchObject({
        summary: reviewerSummary,
        model: "inherit"
      })
    }))

  it.scoped("when several versions of a plugin hold an agent, the newest file wins", () =>
    Effect.gen(function*() {
      const { catalog } = yield* liveCatalog()
      const all = yield* catalog.list(Option.none())
      const backends = all.filter((type) => type.qualified_name === "helioy-tools:backend-engineer")
      expect(backends).toHaveLength(1)
      expect(backends[0]).toMatchObject({ summary: "Builds APIs and services", model: "opus" })
      expect(backends[0]?.source).toContain(join("helioy-tools", "1.0.0", "agents"))
    }))

  it.scoped("files without front matter, without a name, with an unsafe name, or that are not Markdown files are skipped", () =>
    Effect.gen(function*() {
      const { catalog } = yield* liveCatalog()
      const names = (yield* catalog.list(Option.none())).map((type) => type.name)
      for (
        const skipped of [
          "not-front-matter",
          "no-front-matter",
          "nameless",
          "unclosed",
          "x; rm -rf ~",
          "readme",
          "folder",
          "loose"
        ]
      ) {
        expect(names).not.toContain(skipped)
      }
    }))

  it.scoped("Codex roles: name from front matter or file stem, summary from description or the first prose line", () =>
    Effect.gen(function*() {
      const { catalog, home } = yield* liveCatalog()
      const codex = yield* catalog.list(Option.some("codex"))
      expect(byName(codex, "codex:agent-browser", "codex")).toMatchObject({
        name: "agent-browser",
        namespace: "codex",
        summary: "Drives a headless browser",
        model: "gpt-5.6-sol",
        runtimes: ["codex"]
      })
      expect(byName(codex, "codex:linear", "codex")).toMatchObject({
        name: "linear",
        summary: "Manages Linear issues.",
        model: ""
      })
      expect(byName(codex, "codex:openai-docs", "codex")).toMatchObject({
        name: "openai-docs",
        summary: "Answers from the OpenAI docs"
      })
      expect(byName(codex, "helioy-tools:codebase-analyst", "codex")).toMatchObject({
        name: "codebase-analyst",
        namespace: "helioy-tools",
        summary: "Analyzes codebases for Codex.",
        source: join(home, ".codex", "developer_instructions", "codebase-analyst.md")
      })
    }))

  it.scoped("a home without agent directories gives an empty catalogue", () =>
    Effect.gen(function*() {
      const { catalog } = yield* liveCatalog(false)
      expect(yield* catalog.list(Option.none())).toEqual([])
      expect(yield* catalog.suggest("anything")).toEqual([])
      expect(specialist(yield* catalog.resolve("general", Option.none()))).toBe("general@claude")
    }))

  it.scoped("a scan is reused for 60 s of Clock time, then the files are read again", () =>
    Effect.gen(function*() {
      const { catalog, home } = yield* liveCatalog()
      const count = Effect.map(catalog.list(Option.none()), (types) => types.length)
      const before = yield* count
      write(join(home, ".claude", "agents", "newcomer.md"), "---\nname: newcomer\ndescription: Arrived late\n---\n")
      expect(yield* count).toBe(before)
      yield* TestClock.adjust("59 seconds")
      expect(yield* count).toBe(before)
      expect((yield* Effect.flip(catalog.resolve("newcomer", Option.none())))._tag).toBe("AgentTypeNotFound")
      yield* TestClock.adjust("1 second")
      expect(yield* count).toBe(before + 1)
      expect(specialist(yield* catalog.resolve("newcomer", Option.none()))).toBe("user:newcomer@claude")
    }))

  it.scoped("HOME comes from Config and the project from the working directory", () =>
    Effect.gen(function*() {
      const { home } = yield* fakeHome()
      const catalog = yield* AgentCatalogLive.make.pipe(
        Effect.provide(RuntimesLive.layerTest),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["HOME", home]])))
      )
      const names = (yield* catalog.list(Option.none())).map((type) => type.qualified_name)
      expect(names).toContain("helioy-tools:backend-engineer")
      expect(names).toContain("user:my-helper")
      expect(names).not.toContain("project:repo-guide")
    }))
})
