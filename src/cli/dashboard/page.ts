/**
 * The dashboard's one page: plain HTML, CSS and a script, no framework and nothing fetched from elsewhere (it works
 * offline). Everything from the bus is put in as text (`textContent`), never as HTML.
 */
export const dashboardPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>helioy-bus</title>
<style>
:root { color-scheme: light dark; --bg: #fafafa; --fg: #1d1d1f; --muted: #6b6b70; --line: #dcdce0; --card: #fff; --accent: #2563eb; --urgent: #c2410c; }
@media (prefers-color-scheme: dark) { :root { --bg: #16171a; --fg: #e6e6e9; --muted: #9a9aa2; --line: #2c2d33; --card: #1e1f24; --accent: #7aa2ff; --urgent: #fb923c; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
header { padding: 10px 18px; border-bottom: 1px solid var(--line); display: flex; gap: 12px; align-items: baseline; }
header h1 { font-size: 16px; margin: 0; }
header span { color: var(--muted); }
main { display: grid; grid-template-columns: minmax(260px, 1fr) minmax(360px, 2fr); gap: 14px; padding: 14px 18px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; min-width: 0; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 4px 0 8px; }
h3 { font-size: 13px; margin: 10px 0 4px; }
ul { list-style: none; margin: 0; padding: 0; }
li { padding: 4px 0; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
li:last-child { border-bottom: 0; }
.muted { color: var(--muted); }
.urgent { color: var(--urgent); font-weight: 600; }
.state { font-size: 12px; padding: 0 6px; border-radius: 10px; border: 1px solid var(--line); margin-left: 6px; }
#feed li { cursor: pointer; }
#feed li:hover { background: color-mix(in srgb, var(--accent) 8%, transparent); }
pre { white-space: pre-wrap; margin: 4px 0 0; font: 13px/1.4 ui-monospace, monospace; }
form { display: grid; gap: 6px; }
input, textarea, button { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; }
button { background: var(--accent); color: #fff; border: 0; cursor: pointer; }
#side { display: grid; gap: 14px; align-content: start; }
</style>
</head>
<body>
<header><h1>helioy-bus</h1><span id="summary">connecting…</span></header>
<main>
<div id="side">
<section><h2>Agents</h2><div id="agents"></div></section>
<section><h2>Warrooms</h2><div id="warrooms"><p class="muted">none</p></div></section>
<section><h2>Send</h2>
<form id="send"><input id="to" placeholder="to: agent id, role:type or *" required>
<input id="topic" placeholder="topic (optional)"><textarea id="content" rows="3" placeholder="message" required></textarea>
<label><input type="checkbox" id="urgent"> urgent</label><button type="submit">Send</button><span id="sent" class="muted"></span></form></section>
</div>
<div>
<section><h2>Message</h2><div id="path"><p class="muted">Pick a message in the feed to see its path: sent → woken → read → acknowledged.</p></div></section>
<section style="margin-top:14px"><h2>Live feed</h2><ul id="feed"></ul></section>
</div>
</main>
<script>
const token = new URLSearchParams(location.search).get("token") || "";
const api = (path, init) => fetch(path + (path.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token), init).then((r) => r.json());
const el = (tag, text, cls) => { const node = document.createElement(tag); if (text !== undefined) node.textContent = text; if (cls) node.className = cls; return node; };
const messages = new Map();
const states = new Map();

function renderAgents(agents) {
  const box = document.getElementById("agents");
  box.replaceChildren();
  const groups = new Map();
  for (const agent of agents) {
    const session = agent.warroom ? "warroom " + agent.warroom : agent.tmux_target ? "tmux " + agent.tmux_target.split(":")[0] : "no tmux";
    if (!groups.has(session)) groups.set(session, []);
    groups.get(session).push(agent);
  }
  for (const [name, members] of groups) {
    box.append(el("h3", name));
    const list = el("ul");
    for (const agent of members) {
      const item = el("li");
      item.dataset.agent = agent.agent_id;
      item.append(el("strong", agent.agent_id), el("span", " " + agent.runtime + " · " + agent.host, "muted"));
      if (agent.unread > 0) item.append(el("span", agent.unread + " unread", "state"));
      if (agent.waiter) item.append(el("span", "waiter", "state"));
      list.append(item);
    }
    box.append(list);
  }
  if (agents.length === 0) box.append(el("p", "no agents on the bus", "muted"));
  document.getElementById("summary").textContent = agents.length + " agent(s)";
}

function renderWarrooms(warrooms) {
  const box = document.getElementById("warrooms");
  box.replaceChildren();
  if (warrooms.length === 0) { box.append(el("p", "none", "muted")); return; }
  for (const room of warrooms) {
    box.append(el("h3", room.warroom_id + " (" + room.status + ")"));
    const list = el("ul");
    for (const member of room.members || []) {
      list.append(el("li", (member.agent_instance_id || member.desired_role) + " (" + member.desired_runtime + ") — " + member.state + (member.pane_alive ? "" : ", pane gone")));
    }
    box.append(list);
  }
}

function feedRow(message) {
  const item = el("li");
  item.dataset.id = message.message_id;
  const head = el("div");
  head.append(el("span", message.sent_at.slice(11, 19) + " ", "muted"), el("strong", message.from), el("span", " → " + message.to.join(", ")));
  if (message.topic) head.append(el("span", " [" + message.topic + "]", "muted"));
  if (message.priority === "urgent") head.append(el("span", " urgent", "urgent"));
  head.append(el("span", states.get(message.message_id) || "unread", "state"));
  item.append(head, el("pre", message.content));
  item.addEventListener("click", () => showPath(message.message_id));
  return item;
}

function addMessage(message) {
  if (messages.has(message.message_id)) return;
  messages.set(message.message_id, message);
  const feed = document.getElementById("feed");
  feed.prepend(feedRow(message));
  while (feed.children.length > 200) feed.lastChild.remove();
}

function setState(id, state) {
  states.set(id, state);
  const row = document.querySelector('#feed li[data-id="' + CSS.escape(id) + '"] .state');
  if (row) row.textContent = state;
}

async function showPath(id) {
  const status = await api("/api/status/" + encodeURIComponent(id));
  const box = document.getElementById("path");
  box.replaceChildren();
  if (status.error) { box.append(el("p", status.error, "muted")); return; }
  box.append(el("div", status.message_id + " from " + status.from + " at " + status.sent_at, "muted"));
  const list = el("ul");
  for (const r of status.recipients) {
    const steps = ["sent"];
    if (r.wake && r.wake !== "none") steps.push("woken (" + r.wake + (r.woken_at ? " " + r.woken_at.slice(11, 19) : "") + ")");
    if (r.read_at) steps.push("read " + r.read_at.slice(11, 19));
    if (r.acknowledged_at) steps.push("acknowledged" + (r.note ? ": " + r.note : ""));
    list.append(el("li", r.agent_id + " — " + r.state + " — " + steps.join(" → ")));
  }
  box.append(list);
}

async function refreshAgents() {
  const found = await api("/api/agents");
  renderAgents(found.agents || []);
  renderWarrooms(found.warrooms || []);
}

async function start() {
  const recent = await api("/api/messages");
  for (const message of (recent.messages || []).reverse()) addMessage(message);
  for (const [id, state] of Object.entries(recent.states || {})) setState(id, state);
  await refreshAgents();
  const events = new EventSource("/api/events?token=" + encodeURIComponent(token));
  events.addEventListener("message", (event) => {
    const data = JSON.parse(event.data);
    if (data.kind === "message") addMessage(data.message);
    else if (data.kind === "read") setState(data.message_id, "read");
    else if (data.kind === "wake") setState(data.message_id, "woken (" + data.method + ")");
    else if (data.kind === "agents") { renderAgents(data.agents); renderWarrooms(data.warrooms); }
  });
}

document.getElementById("send").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { to: document.getElementById("to").value, content: document.getElementById("content").value, topic: document.getElementById("topic").value, urgent: document.getElementById("urgent").checked };
  const result = await api("/api/send", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  document.getElementById("sent").textContent = result.error ? "error: " + result.error : "sent " + result.message_id;
  if (!result.error) document.getElementById("content").value = "";
});

start();
</script>
</body>
</html>
`
