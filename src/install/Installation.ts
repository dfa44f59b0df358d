import { shellWord } from "../domain/ShellWords.js"

/** Where this helioy-bus lives: the node binary that runs it and its `bin/helioy-bus.js`, both absolute. */
export interface Installation {
  readonly node: string
  readonly bin: string
}

/** The shell command a runtime hook runs: `<node> <bin> hook <hook>`, paths quoted where needed; never fails. */
export const hookCommandLine = (installation: Installation, hook: string): string =>
  `${shellWord(installation.node)} ${shellWord(installation.bin)} hook ${hook}`

/** The arguments that start the bus MCP server with `node`: `[<bin>, "serve"]`; never fails. */
export const serveArgs = (installation: Installation): ReadonlyArray<string> => [installation.bin, "serve"]
