// The web chat at /chat, in a real Chromium against the real server.
import { appendFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { expectAccessible } from "../lib/axe.mjs";
import { focusedName, tabTo } from "../lib/keyboard.mjs";

const REFERENCE = /^D-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

// Decisions the page showed, for test_browser.py to find in the decision log afterwards.
function shown(reference) {
  if (process.env.INFOSHARE_BROWSER_DECISIONS) {
    appendFileSync(process.env.INFOSHARE_BROWSER_DECISIONS, reference + "\n");
  }
}

async function opened(page) {
  await page.goto("/chat");
  await expect(page.getByRole("button", { name: "Police request" })).toBeVisible();
}

test("a keyboard-only conversation reaches a recorded decision, with focus following it", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await opened(page);
  await expectAccessible(page, "/chat at start");

  await tabTo(page, "Police request");
  await page.keyboard.press("Enter");
  // Focus moves to the new question's first answer, so the next key press answers it.
  await expect(page.getByText("is anyone at immediate risk of serious harm")).toBeVisible();
  await expect(page.getByText("If a child could be seriously harmed before you finish")).toBeVisible();
  expect(await focusedName(page)).toBe("Yes");
  // What a screen reader finds: who spoke, the question, its hint, named groups of buttons.
  await expect(page.locator("li.bot").last()).toMatchAriaSnapshot(`
    - listitem:
      - text: "Assistant:"
      - paragraph: Request from the police.
      - paragraph: /First. is anyone at immediate risk of serious harm/
      - paragraph: /If a child could be seriously harmed/
      - group "Answers":
        - button "Yes"
        - button "No"
      - group "More options":
        - button "Why?"
        - button "Start over"
        - button "Talk to the IG team"
  `);
  // Focus is plain to see: a solid outline at least 3px wide.
  const outline = await page.evaluate(() => {
    const style = getComputedStyle(document.activeElement);
    return [style.outlineStyle, parseFloat(style.outlineWidth)];
  });
  expect(outline[0]).toBe("solid");
  expect(outline[1]).toBeGreaterThanOrEqual(3);
  await page.keyboard.press("Tab");
  expect(await focusedName(page)).toBe("No");
  await page.keyboard.press("Space");

  await expect(page.getByText("What do the police need the information for?")).toBeVisible();
  await tabTo(page, "A court order or warrant");
  await page.keyboard.press("Enter");
  await expect(page.locator("li.bot").last().getByRole("button", { name: "Yes" })).toBeFocused();
  await page.keyboard.press("Enter");

  // The summary: focus on its heading, the reference, the parts, the case note.
  const heading = page.getByRole("heading", { level: 3, name: "Share the minimum necessary" });
  await expect(heading).toBeFocused();
  const summary = page.locator(".summary");
  const reference = (await summary.locator(".reference dd").textContent()).trim();
  expect(reference).toMatch(REFERENCE);
  shown(reference);
  for (const part of ["What to do", "What to record", "Lawful basis"]) {
    await expect(page.getByRole("heading", { level: 4, name: part })).toBeVisible();
  }
  await expect(page.locator(".case-note")).toContainText(`Decision reference: ${reference}`);
  await expect(page.getByText(`Decision reference ${reference} recorded.`)).toBeVisible();
  // The answers pressed are shown as the staff member's side of the conversation.
  await expect(page.locator("li.you")).toHaveText(["You: Police request", "You: No",
    "You: A court order or warrant", "You: Yes"]);
  // Pressed answers can't be pressed again.
  await expect(page.getByRole("button", { name: "A court order or warrant" })).toBeDisabled();

  // Links open in a new tab without handing it this page.
  const links = page.locator(".log a[target=_blank]");
  for (const rel of await links.evaluateAll((all) => all.map((a) => a.rel))) {
    expect(rel).toContain("noopener");
  }

  await tabTo(page, "Copy the case note");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Case note copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(reference);

  await expectAccessible(page, "/chat after a decision");

  // Typing works from the keyboard too, and focus stays in the box.
  await tabTo(page, "Your message");
  await page.keyboard.type("start over");
  await page.keyboard.press("Enter");
  // After a decision, never "nothing was recorded": the decision stays.
  await expect(page.getByText(`Starting over. Decision reference ${reference} stays recorded.`)).toBeVisible();
  await expect(page.getByLabel("Your message")).toBeFocused();
  await expect(page.getByLabel("Your message")).toHaveValue("");
});

test("typed words lead to a decision, and reply text is never markup", async ({ page }) => {
  await opened(page);
  const box = page.getByLabel("Your message");
  await box.fill("<img src=x onerror=alert(1)> the police want everything on a 15 year old");
  await box.press("Enter");
  await expect(page.getByText("Request from the police.")).toBeVisible();
  await expect(page.locator("li.you").last()).toContainText("<img src=x onerror=alert(1)>");
  expect(await page.locator(".log img").count()).toBe(0);
  for (const answer of ["no", "safeguarding", "no"]) {
    await box.fill(answer);
    await box.press("Enter");
    await expect(page.locator("li.you").last()).toContainText(answer);
  }
  const reference = (await page.locator(".summary .reference dd").textContent()).trim();
  expect(reference).toMatch(REFERENCE);
  shown(reference);
  await expect(page.locator(".summary .outcome")).toHaveText("Don't share yet");
});

test("going back from a decision keeps it, and the next one says it replaces it", async ({ page }) => {
  await opened(page);
  await page.getByRole("button", { name: "Police request" }).click();
  await page.locator("li.bot").last().getByRole("button", { name: "Yes" }).click();
  const first = (await page.locator(".summary .reference dd").last().textContent()).trim();
  expect(first).toMatch(REFERENCE);
  shown(first);
  await page.locator("li.bot").last().getByRole("button", { name: "Back" }).click();
  await expect(page.getByText(`Going back. Decision reference ${first} stays recorded`)).toBeVisible();
  await page.locator("li.bot").last().getByRole("button", { name: "Yes" }).click();
  await expect(page.locator(".summary")).toHaveCount(2); // the second summary has arrived
  const second = (await page.locator(".summary .reference dd").last().textContent()).trim();
  expect(second).not.toBe(first);
  shown(second);
  await expect(page.getByText(`Decision reference ${second} recorded. It replaces ${first}, which stays in the log.`)).toBeVisible();
  await expect(page.locator(".case-note").last()).toContainText(`Replaces decision: ${first}`);
});

test("after going back from a decision and asking for help, start over still names it", async ({ page }) => {
  await opened(page);
  await page.getByRole("button", { name: "Police request" }).click();
  await page.locator("li.bot").last().getByRole("button", { name: "Yes" }).click();
  const decided = (await page.locator(".summary .reference dd").last().textContent()).trim();
  shown(decided);
  const box = page.getByLabel("Your message");
  await box.fill("help"); // keeps the decision in place: Back still works after it
  await box.press("Enter");
  await expect(page.locator("li.bot").last()).toContainText(`Decision reference ${decided} is recorded.`);
  await page.locator("li.bot").last().getByRole("button", { name: "Back" }).click();
  await expect(page.getByText(`Going back. Decision reference ${decided} stays recorded`)).toBeVisible();
  await box.fill("start over");
  await box.press("Enter");
  await expect(page.locator("li.bot").last()).toContainText(`Starting over. Decision reference ${decided} stays recorded.`);
  await expect(page.locator("li.bot").last()).not.toContainText("Nothing was recorded");
});

test("a message the server refuses is explained and the conversation carries on", async ({ page }) => {
  await opened(page);
  // Past the box's own limit (as a script or an old browser could send): the server says 400.
  await page.getByLabel("Your message").evaluate((box) => box.removeAttribute("maxlength"));
  await page.getByLabel("Your message").fill("a".repeat(4001));
  await page.getByRole("button", { name: "Send" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toHaveText("That message is too long. Please keep it under 4,000 characters.");
  await expect(page.locator("li.you")).toHaveCount(0); // nothing was said
  await page.getByRole("button", { name: "Police request" }).click();
  await expect(page.getByText("Request from the police.")).toBeVisible();
  await expect(alert).toBeHidden();
});

test("an answer that is no longer on offer is explained, and the buttons stay", async ({ page }) => {
  await opened(page);
  await page.getByRole("button", { name: "Police request" }).click();
  await expect(page.getByRole("button", { name: "Yes" })).toBeFocused();
  // The server no longer knows this conversation (as after a restart without Redis).
  await page.evaluate(() => sessionStorage.setItem("infoshare-conversation", "web-forgotten"));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert")).toHaveText(/That option isn't available at this point/);
  await expect(page.getByRole("button", { name: "Yes" })).toBeFocused();
});

test("the server being unreachable is said in plain English, and nothing is lost", async ({ page }) => {
  await opened(page);
  await page.route("**/chat/api", (route) => route.abort("connectionrefused"));
  await page.getByRole("button", { name: "Police request" }).click();
  await expect(page.getByRole("alert")).toHaveText(/couldn't reach the assistant/);
  await page.unroute("**/chat/api");
  await page.getByRole("button", { name: "Police request" }).click();
  await expect(page.getByText("Request from the police.")).toBeVisible();
});

test("the page reflows at 320px wide with nothing cut off", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await opened(page);
  await page.getByRole("button", { name: "Police request" }).click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(overflow).toBeLessThanOrEqual(320);
  const small = await page.locator("button:visible").evaluateAll((all) =>
    all.filter((b) => b.getBoundingClientRect().height < 24 || b.getBoundingClientRect().width < 24).length);
  expect(small).toBe(0);
  await expectAccessible(page, "/chat at 320px");
});

test("web and email addresses in a reply are links, built safely", async ({ page }) => {
  await opened(page);
  // The IG team's contact, as the organisation gives it: its intranet page.
  await page.locator("li.bot").last().getByRole("button", { name: "Talk to the IG team" }).click();
  const told = page.locator("li.bot").last();
  await expect(told).toContainText("Contact the Information Governance Team");
  const intranet = told.getByRole("link", { name: /^http:\/\/intranet\/informationgovernanceteam/ });
  await expect(intranet).toHaveAttribute("href", "http://intranet/informationgovernanceteam");
  await expect(intranet).toHaveAttribute("target", "_blank");
  expect(await intranet.getAttribute("rel")).toContain("noopener");
  await expect(intranet).toContainText("(opens in a new tab)"); // said to screen readers
  // The brackets and comma around the address stay text, outside the link.
  await expect(told).toContainText("(http://intranet/informationgovernanceteam (opens in a new tab)), ");
  // "Talk to the IG team" was just used: it isn't offered again.
  await expect(told.getByRole("button", { name: "Talk to the IG team" })).toHaveCount(0);
  await expectAccessible(page, "/chat after talk to the IG team");

  // Whatever the words say, only http(s) and email addresses become links, with nothing of
  // the text turned into markup (a reply as an organisation's contact details could read).
  await page.route("**/chat/api", (route) => route.fulfill({ json: {
    conversation: "c", topic: null, question: null, help: null, choices: [], actions: [],
    links: [], outcome: null, decision_id: null, summary: null, handoff: null, error: null,
    text: "Email ig.team@example.gov.uk, or see https://example.gov.uk/ig?x=1&y=<b>2</b>. " +
      "Not javascript:alert(1) or <a href=javascript:alert(2)>this</a>.",
  } }));
  await page.getByLabel("Your message").fill("who do I ask?");
  await page.getByLabel("Your message").press("Enter");
  const reply = page.locator("li.bot").last();
  const mail = reply.getByRole("link", { name: "ig.team@example.gov.uk" });
  await expect(mail).toHaveAttribute("href", "mailto:ig.team@example.gov.uk");
  const web = reply.getByRole("link", { name: /^https:\/\/example\.gov\.uk\/ig/ });
  await expect(web).toHaveAttribute("href", "https://example.gov.uk/ig?x=1&y=");
  await expect(web).toHaveAttribute("target", "_blank");
  expect(await web.getAttribute("rel")).toContain("noopener");
  expect(await reply.locator("a").count()).toBe(2);
  expect(await reply.locator("b, a[href^=javascript]").count()).toBe(0);
  await expect(reply).toContainText("<a href=javascript:alert(2)>this</a>.");
});
