// The web chat page: sends each turn to /chat/api and shows the reply. Every piece of text is
// placed with textContent or built as DOM nodes from the core's light Markdown (**bold**,
// "- " bullets, [links](https://...), bare web and email addresses), never as HTML, so nothing
// in a reply can become markup.
"use strict";

(function () {
  const words = JSON.parse(document.getElementById("chat-words").textContent);
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const box = document.getElementById("message");
  const statusLine = document.getElementById("status");
  const problem = document.getElementById("problem");
  const KEY = "infoshare-conversation";
  let busy = false;

  // Per browser tab, so two tabs are two conversations; survives a reload of the tab.
  function conversationId() {
    let id = sessionStorage.getItem(KEY);
    if (!id) {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      id = "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      sessionStorage.setItem(KEY, id);
    }
    return id;
  }

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children || []) {
      node.append(child);
    }
    return node;
  }

  function hidden(text) {
    return el("span", { className: "visually-hidden", textContent: text });
  }

  // Light Markdown inline: **bold**, [title](url), and bare http(s) or email addresses (an IG
  // team's intranet page or mailbox); anything else is text. A bare address takes no brackets
  // or quotes, and gives back the punctuation that ends a sentence or a bracket around it.
  const INLINE = new RegExp(
    [
      /\*\*(.+?)\*\*/.source,
      /\[([^\]]+)\]\(([^)\s]+)\)/.source,
      /(https?:\/\/[^\s<>()\[\]{}"'`]+)/.source,
      /([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/.source,
    ].join("|"),
    "g",
  );
  const TRAILING = /[.,;:!?]+$/;

  function inline(text) {
    const nodes = [];
    let last = 0;
    for (const m of text.matchAll(INLINE)) {
      let end = m.index + m[0].length;
      nodes.push(document.createTextNode(text.slice(last, m.index)));
      if (m[1] !== undefined) {
        nodes.push(el("strong", {}, inline(m[1])));
      } else if (m[2] !== undefined) {
        nodes.push(link(m[2], m[3]));
      } else if (m[4] !== undefined) {
        const url = m[4].replace(TRAILING, "");
        end = m.index + url.length;
        nodes.push(link(url, url));
      } else {
        const address = m[5].replace(TRAILING, "");
        end = m.index + address.length;
        nodes.push(mailLink(address));
      }
      last = end;
    }
    nodes.push(document.createTextNode(text.slice(last)));
    return nodes;
  }

  // An email address opens the mail program, so it stays in this tab: nothing to tell.
  function mailLink(address) {
    const a = el("a", { href: "mailto:" + address });
    a.append(address);
    return a;
  }

  function link(title, url) {
    let safe = null;
    try {
      const parsed = new URL(url, location.href);
      if (parsed.protocol === "https:" || parsed.protocol === "http:") safe = parsed.href;
    } catch (e) {
      safe = null;
    }
    if (safe === null) return document.createTextNode(title);
    const a = el("a", { href: safe, target: "_blank", rel: "noopener noreferrer" });
    a.append(title, hidden(" " + words.newTab));
    return a;
  }

  // Blocks: paragraphs split by blank lines; a run of "- " lines is a list.
  function markdown(text) {
    const out = [];
    for (const block of text.split(/\n\s*\n/)) {
      const lines = block.split("\n").filter((line) => line.trim() !== "");
      let para = [];
      let list = null;
      const flush = () => {
        if (para.length) out.push(el("p", {}, inline(para.join(" "))));
        para = [];
      };
      for (const line of lines) {
        if (line.startsWith("- ")) {
          flush();
          if (!list) {
            list = el("ul");
            out.push(list);
          }
          list.append(el("li", {}, inline(line.slice(2))));
        } else {
          list = null;
          para.push(line);
        }
      }
      flush();
    }
    return out;
  }

  function section(heading, body) {
    return el("section", { className: "part" }, [el("h4", { textContent: heading }), ...body]);
  }

  function bullets(items) {
    return el("ul", {}, items.map((item) => el("li", {}, inline(item))));
  }

  function summaryNode(reply) {
    const s = reply.summary;
    const labels = words.labels;
    const parts = [];
    // Anything the core said before the summary's own opening (a note about identifiers).
    const lead = reply.text.split("**" + s.title + ".**")[0].trim();
    if (lead && lead !== reply.text.trim()) parts.push(...markdown(lead));
    const title = el("h3", { className: "outcome", textContent: s.title, tabIndex: -1 });
    const ref = el("dl", { className: "reference" }, [
      el("dt", { textContent: labels.reference }),
      el("dd", { textContent: s.decision_id }),
    ]);
    const box = el("div", { className: "summary outcome-" + s.outcome }, [
      title,
      el("p", { className: "headline" }, [el("strong", {}, inline(s.headline))]),
      el("p", {}, inline(s.meaning)),
      ref,
    ]);
    parts.push(box);
    for (const [label, items] of [
      [labels.do, s.do],
      [labels.share, s.share],
      [labels.send, s.send],
      [labels.record, s.record],
    ]) {
      if (items.length) parts.push(section(label, [bullets(items)]));
    }
    parts.push(section(labels.basis, [el("p", {}, inline(s.basis))]));
    if (s.rules.length) {
      parts.push(section(labels.rules, [bullets(s.rules.map((r) => r.title + " (" + r.source + ")"))]));
    }
    if (s.links.length) {
      const items = s.links.map((l) => el("li", {}, [link(l.title, l.url)]));
      parts.push(section(labels.links, [el("ul", {}, items)]));
    }
    parts.push(el("p", { className: "recorded" }, inline(s.recorded)));
    parts.push(caseNote(s.case_note));
    parts.push(el("p", { className: "subtle" }, inline(words.afterDecision)));
    return { nodes: parts, focus: title };
  }

  function caseNote(text) {
    const note = el("pre", { className: "case-note", textContent: text, tabIndex: 0 });
    const said = el("p", { className: "copy-status", role: "status" });
    const copy = el("button", { type: "button", className: "secondary", textContent: words.copyNote });
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(text);
        said.textContent = words.copiedNote;
      } catch (e) {
        const range = document.createRange();
        range.selectNodeContents(note);
        const selection = getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        note.focus();
        said.textContent = words.copyFailed;
      }
    });
    return el("section", { className: "part note" }, [el("h4", { textContent: words.caseNote }), note, copy, said]);
  }

  function buttonGroup(options, label, className) {
    const group = el("div", { className: "buttons " + className, role: "group" });
    group.setAttribute("aria-label", label);
    for (const option of options) {
      const button = el("button", { type: "button", textContent: option.label });
      button.dataset.choice = option.id;
      button.addEventListener("click", () => send({ choice: option.id }, option.label, button));
      group.append(button);
    }
    return group;
  }

  function addYou(text) {
    log.append(el("li", { className: "you" }, [hidden(words.you + " "), el("p", { textContent: text })]));
  }

  function addReply(reply) {
    const body = el("div", { className: "body" });
    let focus = null;
    if (reply.summary) {
      const built = summaryNode(reply);
      body.append(...built.nodes);
      focus = built.focus;
    } else {
      body.append(...markdown(reply.text));
      // The question's hint, as Slack and Teams show it (unless the text already includes it).
      if (reply.help && reply.question && !reply.text.includes(reply.help)) {
        body.append(el("p", { className: "subtle" }, inline(reply.help)));
      }
    }
    if (reply.links && reply.links.length && !reply.summary) {
      body.append(el("ul", { className: "links" }, reply.links.map((l) => el("li", {}, [link(l.title, l.url)]))));
    }
    const item = el("li", { className: "bot" }, [hidden(words.assistant + " "), body]);
    if (reply.choices && reply.choices.length) {
      item.append(buttonGroup(reply.choices, words.choices, "choices"));
    }
    if (reply.actions && reply.actions.length) {
      item.append(buttonGroup(reply.actions, words.actions, "actions"));
    }
    log.append(item);
    return focus || item.querySelector(".choices button") || item.querySelector("button");
  }

  // Buttons of earlier messages answer questions already moved past: only the newest reply's
  // buttons stay live, so an old answer can't be pressed twice by mistake.
  // The one pressed stays marked, as Slack and Teams show the answer given.
  function retireOldButtons(pressed) {
    for (const button of log.querySelectorAll("li.bot button[data-choice]")) {
      button.disabled = true;
    }
    if (pressed) pressed.classList.add("chosen");
  }

  function showProblem(text) {
    problem.textContent = text;
    problem.hidden = false;
  }

  function clearProblem() {
    problem.textContent = "";
    problem.hidden = true;
  }

  // One turn. `said` is what to show as the staff member's words (null: nothing, for the
  // opening); `pressed` the button pressed, or null for typed text. Returns true when the
  // conversation moved on.
  async function send(what, said, pressed, opening) {
    if (busy) return false;
    busy = true;
    clearProblem();
    log.setAttribute("aria-busy", "true");
    statusLine.textContent = words.working;
    let reply = null;
    try {
      const response = await fetch("/chat/api", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ conversation: conversationId(), ...what }),
      });
      const data = await response.json().catch(() => null);
      const readable = data !== null && typeof data.text === "string";
      if (response.ok && readable) {
        reply = data;
      } else {
        // Refused (an option no longer on offer, a message too long, the log unavailable):
        // say why, in the server's words where it gave them, and leave everything as it was.
        showProblem(readable ? data.text : words.failed);
      }
    } catch (e) {
      showProblem(words.offline);
    } finally {
      busy = false;
      log.removeAttribute("aria-busy");
      statusLine.textContent = "";
    }
    if (reply === null) {
      if (pressed && !pressed.disabled) pressed.focus();
      return false;
    }
    retireOldButtons(pressed);
    if (said !== null) addYou(said);
    const target = addReply(reply);
    if (opening) return true; // don't move focus as the page loads
    if (pressed === null) {
      box.focus(); // they were typing: stay in the box
    } else if (target) {
      target.focus();
    }
    if (target) target.scrollIntoView({ block: "nearest" });
    return true;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = box.value.trim();
    if (!text) {
      box.focus();
      return;
    }
    if (await send({ text }, text, null)) box.value = "";
  });

  // Enter sends; Shift+Enter makes a new line.
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // "help" as a button press: it shows the topics, or where a reloaded conversation stands.
  send({ choice: "help" }, null, null, true);
})();
