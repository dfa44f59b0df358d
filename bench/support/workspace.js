/**
 * The bench's one temp root (removed at cleanup), the HOME every server and hook gets, and a bus dir per figure.
 * Created when this module is first imported.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { makeTempDir } from "./cleanup.js"

/** The temp root every figure works under. */
export const root = makeTempDir("helioy-bench-")

/** The HOME of every server and hook the bench starts. */
export const home = join(root, "home")
fs.mkdirSync(home)

/** The path of the bus dir of the figure `name` under the temp root (not created); never fails. */
export const busDir = (name) => join(root, `bus-${name}`)
