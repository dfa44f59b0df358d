import { Clock, Config, Duration, Effect, Layer, Option, SynchronizedRef } from "effect"
import { homedir } from "node:os"
import { basename, join, resolve } from "node:path"
import { type AgentType, preferredNamespaces, toSummary } from "../domain/AgentType.js"
import { firstProseLine, parseFrontMatter, textField } from "../domain/FrontMatter.js"
import type { RuntimeAdapter } from "../domain/RuntimeAdapter.js"
import { AgentCatalog, catalogOf } from "../services/AgentCatalog.js"
import { Runtimes } from "../services/Runtimes.js"
import { entriesOf, isDirectory, markdownFiles, readAgentFile } from "./agentFiles.js"

/**
 * Where the live catalogue looks: the user's home (`~/.claude`, `~/.codex`) and the project (`<dir>/.claude/agents`).
 */
export interface CatalogPaths {
  readonly home: string
  readonly projectDir: string
}

/** How long one scan of the agent files is reused. */
export const cacheTtl = Duration.seconds(60)

/** Names and namespaces end up on a command line typed into a shell: only plain identifiers are listed. */
const identifier = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/

/** How the files of one directory are laid out and named. */
type CatalogueKind =
  | { readonly _tag: "PluginCache" }
  | { readonly _tag: "ClaudeAgents"; readonly namespace: string }
  | { readonly _tag: "CodexInstructions" }

/** One directory of agent files and the runtimes that can launch what it holds. */
interface Catalogue {
  readonly dir: string
  readonly kind: CatalogueKind
  readonly runtimes: Array<string>
}

/** The directories the adapters name that this scanner can read, each once, with every runtime that names it. */
const cataloguesOf = (adapters: ReadonlyArray<RuntimeAdapter>, paths: CatalogPaths): ReadonlyArray<Catalogue> => {
  const kinds = new Map<string, CatalogueKind>()
  const learn = (dir: string, kind: CatalogueKind) => {
    if (!kinds.has(resolve(dir))) kinds.set(resolve(dir), kind)
  }
  learn(join(paths.home, ".claude", "plugins", "cache"), { _tag: "PluginCache" })
  learn(join(paths.home, ".claude", "agents"), { _tag: "ClaudeAgents", namespace: "user" })
  learn(join(paths.projectDir, ".claude", "agents"), { _tag: "ClaudeAgents", namespace: "project" })
  learn(join(paths.home, ".codex", "developer_instructions"), { _tag: "CodexInstructions" })
  const catalogues = new Map<string, Catalogue>()
  for (const adapter of adapters) {
    for (const named of adapter.agentTypeDirs(paths.home, paths.projectDir)) {
      const dir = resolve(named)
      const kind = kinds.get(dir)
      if (kind === undefined) continue
      const catalogue = catalogues.get(dir) ?? { dir, kind, runtimes: [] }
      if (!catalogue.runtimes.includes(adapter.id)) catalogue.runtimes.push(adapter.id)
      catalogues.set(dir, catalogue)
    }
  }
  return [...catalogues.values()]
}

interface Found {
  readonly type: AgentType
  readonly mtimeMs: number
}

/** A Claude agent file: needs front matter with a `name`; summary from `description`, model from `model`. */
const claudeAgent = (path: string, namespace: string, runtimes: ReadonlyArray<string>): Option.Option<Found> =>
  Option.flatMap(readAgentFile(path), ({ mtimeMs, text }) => {
    const head = parseFrontMatter(text)
    if (head._tag !== "Present") return Option.none()
    const name = textField(head.fields, "name")
    if (!identifier.test(name)) return Option.none()
    return Option.some({
      mtimeMs,
      type: {
        qualified_name: `${namespace}:${name}`,
        name,
        namespace,
        summary: toSummary(textField(head.fields, "description")),
        model: textField(head.fields, "model"),
        runtime: runtimes[0] ?? "",
        runtimes: [...runtimes],
        source: path
      }
    })
  })

/** Keeps one entry per qualified name: the newest file, the first listed on a tie. */
const newestByQualifiedName = (found: Iterable<Found>): Array<AgentType> => {
  const kept = new Map<string, Found>()
  for (const entry of found) {
    const previous = kept.get(entry.type.qualified_name)
    if (previous === undefined || entry.mtimeMs > previous.mtimeMs) kept.set(entry.type.qualified_name, entry)
  }
  return [...kept.values()].map((entry) => entry.type)
}

/** `{org}/{plugin}/{version}/agents/*.md` under the plugin cache; the namespace is the plugin directory. */
const scanPluginCache = (catalogue: Catalogue): Array<AgentType> => {
  const found: Array<Found> = []
  for (const org of entriesOf(catalogue.dir)) {
    for (const plugin of entriesOf(join(catalogue.dir, org))) {
      if (!identifier.test(plugin)) continue
      for (const version of entriesOf(join(catalogue.dir, org, plugin))) {
        const agentsDir = join(catalogue.dir, org, plugin, version, "agents")
        if (!isDirectory(agentsDir)) continue
        for (const path of markdownFiles(agentsDir)) {
          Option.map(claudeAgent(path, plugin, catalogue.runtimes), (entry) => found.push(entry))
        }
      }
    }
  }
  return newestByQualifiedName(found)
}

/** `*.md` directly in a Claude agents directory, under the catalogue's namespace (`user`, `project`). */
const scanClaudeAgents = (catalogue: Catalogue, namespace: string): Array<AgentType> =>
  newestByQualifiedName(
    markdownFiles(catalogue.dir).flatMap((path) => Option.toArray(claudeAgent(path, namespace, catalogue.runtimes)))
  )

/** The Claude agent a Codex role of this short name mirrors: `helioy-tools` first, then the smallest qualified name. */
const claudeTwin = (claudeTypes: ReadonlyArray<AgentType>, name: string): AgentType | undefined => {
  const twins = claudeTypes.filter((type) => type.name === name)
  const preferred = twins.find((type) => type.namespace === preferredNamespaces[0])
  return preferred ?? [...twins].sort((a, b) => a.qualified_name < b.qualified_name ? -1 : 1)[0]
}

/**
 * `*.md` in the Codex instructions directory: name from front matter or the file stem, summary from `description` or
 * the first prose line.
 */
const scanCodexInstructions = (catalogue: Catalogue, claudeTypes: ReadonlyArray<AgentType>): Array<AgentType> => {
  const kept = new Map<string, AgentType>()
  for (const path of markdownFiles(catalogue.dir)) {
    const file = readAgentFile(path)
    if (Option.isNone(file)) continue
    const head = parseFrontMatter(file.value.text)
    if (head._tag === "Invalid") continue
    const fields = head._tag === "Present" ? head.fields : {}
    const name = textField(fields, "name") || basename(path, ".md")
    if (!identifier.test(name)) continue
    const twin = claudeTwin(claudeTypes, name)
    const namespace = twin?.namespace ?? "codex"
    const qualified = twin?.qualified_name ?? `codex:${name}`
    if (kept.has(qualified)) continue
    kept.set(qualified, {
      qualified_name: qualified,
      name,
      namespace,
      summary: toSummary(textField(fields, "description") || firstProseLine(head.body)),
      model: textField(fields, "model"),
      runtime: catalogue.runtimes[0] ?? "",
      runtimes: [...catalogue.runtimes],
      source: path
    })
  }
  return [...kept.values()]
}

/** Reads every agent file the adapters point at; unreadable files, files without front matter or a name are skipped. */
export const scanAgentTypes = (
  adapters: ReadonlyArray<RuntimeAdapter>,
  paths: CatalogPaths
): ReadonlyArray<AgentType> => {
  const catalogues = cataloguesOf(adapters, paths)
  const claudeTypes = catalogues.flatMap((catalogue) => {
    switch (catalogue.kind._tag) {
      case "PluginCache":
        return scanPluginCache(catalogue)
      case "ClaudeAgents":
        return scanClaudeAgents(catalogue, catalogue.kind.namespace)
      case "CodexInstructions":
        return []
    }
  })
  const codexTypes = catalogues.flatMap((catalogue) =>
    catalogue.kind._tag === "CodexInstructions" ? scanCodexInstructions(catalogue, claudeTypes) : []
  )
  return [...claudeTypes, ...codexTypes]
}

/**
 * Builds the catalogue over the agent files under `paths`, rescanned at most once per 60 s of Effect's Clock; never
 * fails.
 */
export const makeWith = (paths: CatalogPaths) =>
  Effect.gen(function*() {
    const runtimes = yield* Runtimes
    const cache = yield* SynchronizedRef.make(
      Option.none<{ readonly scannedAt: number; readonly types: ReadonlyArray<AgentType> }>()
    )
    const entries = SynchronizedRef.modifyEffect(cache, (cached) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        if (Option.isSome(cached) && now - cached.value.scannedAt < Duration.toMillis(cacheTtl)) {
          return [cached.value.types, cached] as const
        }
        const types = yield* Effect.sync(() => scanAgentTypes(runtimes.all, paths)).pipe(
          Effect.withSpan("AgentCatalog.scan")
        )
        return [types, Option.some({ scannedAt: now, types })] as const
      }))
    return catalogOf(runtimes, entries)
  })

/** Builds the catalogue for `$HOME` (Config `HOME`, default the OS home) and the process's working directory. */
export const make = Effect.gen(function*() {
  const home = yield* Config.string("HOME").pipe(Config.withDefault(""))
  return yield* makeWith({ home: home === "" ? homedir() : home, projectDir: process.cwd() })
})

/** The catalogue of the user's and the project's agent files (needs Runtimes). */
export const layer = Layer.effect(AgentCatalog, make)

/** The catalogue of the agent files under explicit paths, for tests (needs Runtimes). */
export const layerWith = (paths: CatalogPaths) => Layer.effect(AgentCatalog, makeWith(paths))
