/** Gemini CLI's folder trust (`trustedFolders.json`: folder to trust level), read the way Gemini CLI 0.61 reads it. */
import { Schema } from "effect"
import * as fs from "node:fs"
import { dirname, relative, resolve } from "node:path"

/** The trust levels Gemini writes: a folder and what is under it, its parent and what is under that, or distrust. */
export const TrustLevel = Schema.Literal("TRUST_FOLDER", "TRUST_PARENT", "DO_NOT_TRUST")

/** `trustedFolders.json`: folder path to trust level (an unknown level is kept, and counts as no rule). */
export const TrustedFolders = Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({
  message: () => "the file does not hold a JSON object"
})

const isTrustLevel = Schema.is(TrustLevel)

const realPath = (path: string): string => {
  try {
    return fs.realpathSync(path)
  } catch {
    return resolve(path)
  }
}

const isWithin = (root: string, path: string): boolean => {
  const rel = relative(root, path)
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith("/"))
}

/**
 * Whether Gemini CLI trusts `dir`: the longest rule whose folder holds it decides (TRUST_PARENT's folder is the
 * rule's parent); `undefined` when no rule does (Gemini then asks). Symlinks are followed as Gemini does; never
 * fails.
 */
export const folderTrust = (rules: Readonly<Record<string, unknown>>, dir: string): boolean | undefined => {
  const location = realPath(dir)
  let longest = -1
  let decided: boolean | undefined = undefined
  for (const [rulePath, level] of Object.entries(rules)) {
    if (!isTrustLevel(level)) continue
    const root = realPath(level === "TRUST_PARENT" ? dirname(rulePath) : rulePath)
    if (isWithin(root, location) && rulePath.length > longest) {
      longest = rulePath.length
      decided = level !== "DO_NOT_TRUST"
    }
  }
  return decided
}
