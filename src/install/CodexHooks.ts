import { Either } from "effect"
import { CodexHooksJson } from "./CodexFiles.js"
import { withBusHooksIn, withoutBusHooksIn } from "./HookMerge.js"
import { codexHooks, hookGroups } from "./HookWiring.js"
import { hookCommandLine, type Installation } from "./Installation.js"
import { fileDecoder, type JsonObject } from "./Json.js"

const decodeHooksFile = fileDecoder(CodexHooksJson)

/** The bus's hook groups for Codex, by event, running this installation. */
export const codexHookGroups = (installation: Installation) =>
  hookGroups(codexHooks, (hook) => hookCommandLine(installation, hook))

/**
 * `~/.codex/hooks.json` with the bus's hooks merged into `hooks` (every other event and handler kept, no duplicate
 * of ours). Fails with a reason when the file or its `hooks` is not of the documented shape.
 */
export const withCodexHooks = (hooksFile: unknown, installation: Installation): Either.Either<JsonObject, string> =>
  Either.flatMap(decodeHooksFile(hooksFile), (file) => withBusHooksIn(file, codexHookGroups(installation)))

/**
 * `~/.codex/hooks.json` without the bus's hooks (every other event and handler kept). Fails with a reason when the
 * file or its `hooks` is not of the documented shape.
 */
export const withoutCodexHooks = (hooksFile: unknown): Either.Either<JsonObject, string> =>
  Either.map(decodeHooksFile(hooksFile), withoutBusHooksIn)
