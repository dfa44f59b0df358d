/** The pane lines tmux prints for the bus, and the arguments that launch a program in a new pane. */
import type { PaneInfo, PaneLaunch, SpawnedPane } from "../services/Tmux.js"
import { envFlags, execArgv, literal } from "./tmuxArgv.js"

/** The fields of one pane, tab-separated, as `list-panes -F` prints them. */
export const paneFormat = [
  "#{pane_id}",
  "#{session_name}:#{window_index}.#{pane_index}",
  "#{pane_in_mode}",
  "#{pane_dead}",
  "#{pane_current_command}",
  "#{pane_title}"
].join("\t")

/** One pane from a line in `paneFormat`; undefined for a line that is not one. */
export const parsePane = (line: string): PaneInfo | undefined => {
  const [paneId, target, inMode, dead, command, ...title] = line.split("\t")
  if (paneId === undefined || !paneId.startsWith("%") || target === undefined) return undefined
  return { paneId, target, inMode: inMode === "1", dead: dead === "1", command: command ?? "", title: title.join("\t") }
}

/** A new pane's window id, then its `paneFormat` fields. */
export const spawnedFormat = `#{window_id}\t${paneFormat}`

/** A new pane from a line in `spawnedFormat`; undefined for a line that is not one. */
export const parseSpawned = (line: string): SpawnedPane | undefined => {
  const tab = line.indexOf("\t")
  const pane = tab === -1 ? undefined : parsePane(line.slice(tab + 1))
  const windowId = line.slice(0, tab)
  return pane && windowId.startsWith("@") ? { ...pane, windowId } : undefined
}

/**
 * The `-c DIR -e VAR=VALUE -- PROGRAM ARGS` part of new-window and split-window for a launch (nothing parsed by a
 * shell).
 */
export const launchArgs = (launch: PaneLaunch): ReadonlyArray<string> => [
  "-c",
  literal(launch.cwd),
  ...envFlags(launch.env),
  "--",
  ...execArgv(launch.command)
]
