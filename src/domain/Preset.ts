import { Either, ParseResult, Schema } from "effect"
import { claudePermissionModes, codexApprovals, codexSandboxes } from "./Permissions.js"

/** The reference's preset name rule. */
export const presetNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,49}$/

/** The reference's error text for a name that breaks the rule. */
export const presetNameRule = "Name must be 1-50 chars, alphanumeric and hyphens, starting with alphanumeric."

/** The reference's error text for a preset without agents. */
export const presetAgentsRule = "At least one agent type is required."

/** The error text for an agent entry that cannot be a role name. */
export const presetAgentRule =
  "Agent types are non-empty names without spaces (e.g. helioy-tools:backend-engineer or general)."

/** A preset name: 1-50 letters, digits and hyphens, starting with a letter or digit. */
export const PresetName = Schema.String.pipe(Schema.pattern(presetNamePattern, { message: () => presetNameRule }))

const AgentName = Schema.String.pipe(Schema.pattern(/^\S+$/, { message: () => presetAgentRule }))

const Agents = Schema.Array(AgentName).pipe(Schema.minItems(1, { message: () => presetAgentsRule }))

const Mode = (allowed: ReadonlyArray<string>, what: string) =>
  Schema.String.pipe(
    Schema.filter((value) => allowed.includes(value), { message: () => `${what} is one of: ${allowed.join(", ")}` })
  )

/** The permission keys a preset may carry (absent: the spawn's, the configuration's, or the runtime's default). */
const permissionFields = {
  permission_mode: Schema.optional(Mode(claudePermissionModes, "permission_mode")),
  codex_sandbox: Schema.optional(Mode(codexSandboxes, "codex_sandbox")),
  codex_approval: Schema.optional(Mode(codexApprovals, "codex_approval"))
}

/** A saved team of agent types: `{ name, description, agents, tags }`, and optionally the members' permissions. */
export const Preset = Schema.Struct({
  name: PresetName,
  description: Schema.String,
  agents: Agents,
  tags: Schema.Array(Schema.String),
  ...permissionFields
})

/** A saved team of agent types. */
export type Preset = typeof Preset.Type

/**
 * A preset as written to `presets/<name>.json`: `description` and `tags` may be missing (the reference reads them as
 * empty).
 */
export const PresetFile = Schema.Struct({
  name: PresetName,
  description: Schema.optionalWith(Schema.String, { default: () => "" }),
  agents: Agents,
  tags: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  ...permissionFields
})

/** What a caller gives to save a preset: `description` and `tags` optional. */
export type PresetInput = typeof PresetFile.Encoded

const ruleTexts: ReadonlyArray<string> = [presetNameRule, presetAgentsRule, presetAgentRule]

/** A decode failure as one line a person can act on: the rule text alone for the naming rules, else `path: problem`. */
const describeIssues = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) =>
      ruleTexts.includes(issue.message) || issue.path.length === 0
        ? issue.message
        : `${issue.path.join(".")}: ${issue.message}`
    )
    .join("; ")

/** Validates a preset to save (name rule, at least one agent); fails with the reason. */
export const decodePresetInput = (input: PresetInput): Either.Either<Preset, string> =>
  Either.mapLeft(Schema.decodeUnknownEither(PresetFile)(input), describeIssues)

/** The file name of a preset, `<name>.json`. */
export const presetFileName = (name: string): string => `${name}.json`

/** The text written for a preset: JSON, indent 2, as the reference writes it. */
export const encodePreset = (preset: Preset): string =>
  `${
    JSON.stringify(
      {
        name: preset.name,
        description: preset.description,
        agents: preset.agents,
        tags: preset.tags,
        ...(preset.permission_mode === undefined ? {} : { permission_mode: preset.permission_mode }),
        ...(preset.codex_sandbox === undefined ? {} : { codex_sandbox: preset.codex_sandbox }),
        ...(preset.codex_approval === undefined ? {} : { codex_approval: preset.codex_approval })
      },
      null,
      2
    )
  }\n`

/**
 * Reads the text of `presets/<fileName>`: JSON whose `name` (the file stem when missing) matches the file name, with
 * at least one agent; fails with the reason the file is unusable.
 */
export const decodePresetFile = (fileName: string, text: string): Either.Either<Preset, string> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return Either.left(`not valid JSON (${(error as Error).message})`)
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return Either.left("not a JSON object")
  const stem = fileName.replace(/\.json$/, "")
  const withName = "name" in json ? json : { ...json, name: stem }
  return Either.flatMap(
    Either.mapLeft(Schema.decodeUnknownEither(PresetFile)(withName), describeIssues),
    (preset) =>
      preset.name === stem
        ? Either.right(preset)
        : Either.left(`its name '${preset.name}' does not match the file name ${fileName}`)
  )
}
