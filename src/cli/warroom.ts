import { runCliMain } from "./cliMain.js"
import { runWarroomCli, warroomCommand } from "./warroomCommands.js"

runCliMain(warroomCommand, "helioy-warroom", runWarroomCli, process.argv)
