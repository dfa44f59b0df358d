import { busCommand, runBusCli } from "./busCommands.js"
import { runCliMain } from "./cliMain.js"
import { shieldLaunchArgs } from "./runCommand.js"

runCliMain(busCommand, "helioy-bus", runBusCli, shieldLaunchArgs(process.argv))
