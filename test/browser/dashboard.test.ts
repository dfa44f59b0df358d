/**
 * `helioy-bus dashboard` in a real headless Chromium (Debian's, driven by playwright-core): the page lists agents,
 * shows messages live, sends, shows content as text, and refuses requests without the token.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { type Browser, chromium } from "playwright-core"
import { afterEach, describe, expect, it } from "vitest"
import { busBin, makeTempDir, removeTempDirs, serverPool } from "../support/mcpClient.js"

const chromiumPath = "/usr/bin/chromium"
const haveChromium = fs.existsSync(chromiumPath)
if (!haveChromium && process.env.CI) throw new Error(`${chromiumPath} is missing: .ci/run installs Debian's chromium`)

const servers = serverPool()
let dashboard: ChildProcess | undefined
let browser: Browser | undefined

afterEach(async () => {
  await browser?.close()
  dashboard?.kill("SIGINT")
  await servers.closeAll()
  removeTempDirs()
})

const artifacts = new URL("../../test-artifacts/", import.meta.url)

/** Starts the built dashboard on a free port; resolves with the URL it prints. */
const startDashboard = (env: Record<string, string>) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [busBin, "dashboard", "--no-open", "--port", "0"], { env })
    dashboard = child
    createInterface({ input: child.stdout }).once("line", resolve)
    child.once("exit", (code) => reject(new Error(`dashboard exited with ${code}`)))
  })

describe.runIf(haveChromium)("the dashboard in Chromium", () => {
  it("lists agents, shows a message live without a reload (content as text), sends from the page, and needs the token", async () => {
    const root = makeTempDir("helioy-dashboard-")
    const busDir = join(root, "bus")
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: root, HELIOY_BUS_DIR: busDir }
    const bob = await servers.start({ home: root, busDir, agentId: "proj:bob" })
    await bob.ok("register_agent", { pwd: root, agent_id: "proj:bob", agent_type: "backend" })
    const url = await startDashboard(env)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/)

    const bare = url.slice(0, url.indexOf("?"))
    expect((await fetch(bare)).status).toBe(403)
    expect((await fetch(`${bare}api/agents?token=wrong`)).status).toBe(403)

    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run"
      ]
    })
    const page = await browser.newPage()
    await page.goto(url)
    await page.locator("[data-agent=\"proj:bob\"]").waitFor()
    // Page-side code as strings: the test's own TypeScript has no DOM types.
    await page.evaluate("window.loadedOnce = true")

    const hostile = "<script>window.pwned = true</script><b>bold?</b>"
    const sent = await bob.ok("send_message", { to: "proj:bob", content: hostile, topic: "xss" })
    const row = page.locator(`#feed li[data-id="${String(sent.message_id)}"]`)
    await row.waitFor()
    expect(await row.locator("pre").textContent()).toBe(hostile)
    expect(
      await page.evaluate(
        `({ sameDocument: window.loadedOnce === true, pwned: window.pwned === true,
            injected: document.querySelectorAll("#feed script, #feed b").length })`
      )
    ).toEqual({ sameDocument: true, pwned: false, injected: 0 })

    await row.click()
    await page.locator("#path li").filter({ hasText: "proj:bob" }).waitFor()

    await page.fill("#to", "proj:bob")
    await page.fill("#content", "from the page")
    await page.click("#send button")
    await page.locator("#sent").filter({ hasText: "sent " }).waitFor()
    const inbox = (await bob.ok("get_messages")).result as Array<{ from: string; content: string }>
    expect(inbox.map((message) => message.content)).toEqual([hostile, "from the page"])
    expect(inbox[1]!.from).toMatch(/^human:/)

    fs.mkdirSync(artifacts, { recursive: true })
    await page.screenshot({ path: new URL("dashboard.png", artifacts).pathname, fullPage: true })
  })
})
