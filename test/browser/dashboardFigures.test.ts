/**
 * The dashboard's figures (`HELIOY_DASHBOARD_FIGURES=1`): send to its row in the page, median of 20; the dashboard
 * process's memory with 50 agents and 10,000 archived messages. Printed, never asserted against a clock.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { type Browser, chromium } from "playwright-core"
import { afterEach, describe, expect, it } from "vitest"
import { busBin, makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"

const servers = serverPool()
let dashboard: ChildProcess | undefined
let browser: Browser | undefined

afterEach(async () => {
  await browser?.close()
  dashboard?.kill("SIGINT")
  await servers.closeAll()
  removeTempDirs()
})

const rssMb = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8")
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024
}

describe.runIf(process.env.HELIOY_DASHBOARD_FIGURES === "1")("dashboard figures", () => {
  it("send to row, and memory with 50 agents and 10,000 archived messages", { timeout: 600_000 }, async () => {
    const root = makeTempDir("helioy-dashboard-figures-")
    const busDir = join(root, "bus")
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: root, HELIOY_BUS_DIR: busDir }
    const server = await servers.start({ home: root, busDir, agentId: "lead" })
    for (let n = 0; n < 50; n++) {
      await server.ok("register_agent", { pwd: root, agent_id: `worker-${n}`, agent_type: "worker" })
    }
    for (let sent = 0; sent < 10_000;) {
      await Promise.all(
        Array.from({ length: 20 }, (_, lane) =>
          server.ok("send_message", {
            to: `worker-${(sent + lane) % 50}`,
            content: `note ${sent + lane}`,
            nudge: false
          }))
      )
      sent += 20
    }
    for (let n = 0; n < 50; n++) await server.ok("get_messages", { agent_id: `worker-${n}`, limit: 1000 })
    const child = spawn(process.execPath, [busBin, "dashboard", "--no-open", "--port", "0"], { env })
    dashboard = child
    const url = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve))
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    })
    const page = await browser.newPage()
    await page.goto(url)
    await page.locator("[data-agent=\"worker-49\"]").waitFor()
    const samples: Array<number> = []
    for (let n = 0; n < 20; n++) {
      const at = performance.now()
      const sent = await server.ok("send_message", { to: "worker-1", content: `timed ${n}`, nudge: false })
      await page.locator(`#feed li[data-id="${String(sent.message_id)}"]`).waitFor()
      samples.push(performance.now() - at)
    }
    samples.sort((a, b) => a - b)
    const figures = {
      sendToRowMedianMs: Math.round(((samples[9]! + samples[10]!) / 2) * 10) / 10,
      sendToRowMaxMs: Math.round(samples[19]! * 10) / 10,
      dashboardRssMb: Math.round(rssMb(child.pid!) * 10) / 10,
      agents: 50,
      archived: 10_000
    }
    console.log(`[figures] dashboard ${JSON.stringify(figures)}`)
    expect(samples).toHaveLength(20)
  })
})
