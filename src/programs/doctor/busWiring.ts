/** The bus's wiring in a runtime's configuration, checked against the Schemas an install writes by. */
import { FileSystem } from "@effect/platform"
import { Effect, Option, Schema } from "effect"
import { isAbsolute } from "node:path"
import { shellWords } from "../../domain/ShellWords.js"
import { CommandHandler, EventGroups, MatcherGroup } from "../../install/HookSettings.js"
import { busHookOf, type HookSpec } from "../../install/HookWiring.js"
import type { JsonObject } from "../../install/Json.js"
import { busServerName, ProgramServer } from "../../install/McpServerEntry.js"
import { fail, ok } from "./Check.js"

const isGroups = (event: string) => Schema.is(EventGroups(event))
const isMatcherGroup = Schema.is(MatcherGroup)
const isCommandHandler = Schema.is(CommandHandler)
const isProgramServer = Schema.is(ProgramServer)

/** A hook the runtime should run, and the command found for it. */
export interface FoundHook {
  readonly spec: HookSpec
  readonly command: Option.Option<string>
}

/**
 * For each hook the runtime should run, the command found for it in a `hooks` object (none when absent). Never fails.
 */
export const findHooks = (hooks: JsonObject | undefined, specs: ReadonlyArray<HookSpec>): ReadonlyArray<FoundHook> =>
  specs.map((spec) => {
    const groups = hooks !== undefined && isGroups(spec.event)(hooks[spec.event])
      ? hooks[spec.event] as ReadonlyArray<unknown>
      : []
    const handlers = groups.flatMap((group) => isMatcherGroup(group) ? group.hooks : [])
    const handler = handlers.find((handler) =>
      isCommandHandler(handler) && busHookOf(handler.command) === spec.hook &&
      (!spec.rewake || handler.asyncRewake === true)
    )
    return { spec, command: isCommandHandler(handler) ? Option.some(handler.command) : Option.none() }
  })

/** A path a configuration names that is absolute and missing (a plugin-relative or PATH name is not checked). */
const missingPath = (path: unknown) =>
  typeof path === "string" && isAbsolute(path)
    ? Effect.flatMap(FileSystem.FileSystem, (fs) => Effect.orElseSucceed(fs.exists(path), () => false)).pipe(
      Effect.map((found) => found ? [] : [path])
    )
    : Effect.succeed([])

/** Checks the hooks found: all present, and every helioy-bus.js they name exists. Never fails. */
export const hooksCheck = (name: string, where: string, found: ReadonlyArray<FoundHook>, fix: string) =>
  Effect.gen(function*() {
    const missing = found.filter((hook) => Option.isNone(hook.command)).map(({ spec }) => `${spec.event} ${spec.hook}`)
    const bins = found.flatMap((hook) =>
      Option.match(hook.command, {
        onNone: () => [],
        onSome: (command) => {
          const words = shellWords(command)
          return [words[words.indexOf("hook") - 1]]
        }
      })
    )
    const absent = [...new Set((yield* Effect.forEach(bins, missingPath)).flat())]
    if (missing.length > 0) return fail(name, `${where} lacks ${missing.join(", ")}`, fix)
    if (absent.length > 0) return fail(name, `${where} runs ${absent.join(", ")}, which does not exist`, fix)
    return ok(name, `${found.length} hook(s) in ${where}`)
  })

/** Checks an MCP server entry: it runs `<node> <bin>/helioy-bus.js serve`, and both exist. Never fails. */
export const serverCheck = (name: string, where: string, server: unknown, fix: string) =>
  Effect.gen(function*() {
    const args = isProgramServer(server) ? server.args ?? [] : []
    if (!isProgramServer(server) || args.length < 2 || args[args.length - 1] !== "serve") {
      return fail(name, `${busServerName} in ${where} does not run \`helioy-bus serve\``, fix)
    }
    const absent = [...(yield* missingPath(server.command)), ...(yield* missingPath(args[args.length - 2]))]
    if (absent.length > 0) {
      return fail(name, `${busServerName} in ${where} runs ${absent.join(", ")}, which does not exist`, fix)
    }
    return ok(name, `${busServerName} in ${where}: ${[server.command, ...args].join(" ")}`)
  })
