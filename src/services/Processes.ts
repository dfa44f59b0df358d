import { Context, type Effect, type Option } from "effect"

/** The operating system's process table, as far as the bus needs it. */
export interface ProcessesShape {
  /** This process's pid. */
  readonly self: number
  /** The parent pid of a process, if it exists. */
  readonly parentOf: (pid: number) => Effect.Effect<Option.Option<number>>
  /** The command name of a process (`comm`), if it exists. */
  readonly commandOf: (pid: number) => Effect.Effect<Option.Option<string>>
  /** Whether a process exists. */
  readonly isAlive: (pid: number) => Effect.Effect<boolean>
  /** This process's user id (none where the platform has none). */
  readonly userId: number | undefined
  /**
   * The path of an executable `name` found through the directories of `searchPath` (`PATH`-style), if any; an absolute
   * or relative path is checked as it is.
   */
  readonly findExecutable: (name: string, searchPath: string) => Effect.Effect<Option.Option<string>>
}

/** Processes. */
export class Processes extends Context.Tag("helioy/Processes")<Processes, ProcessesShape>() {}
