// The analytics dashboard at /analytics, in a real Chromium against the real server, on the
// four weeks of records test_browser.py seeds (seed.py: its tables give every figure below).
// The chat spec runs first and adds web records this week, so nothing here counts this week.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { expectAccessible } from "../lib/axe.mjs";
import { tabTo, typeDate } from "../lib/keyboard.mjs";

const TOKEN = process.env.INFOSHARE_ANALYST_TOKEN;
// The seeded weeks' Mondays (test_browser.py says where they fall).
const WEEKS = (process.env.INFOSHARE_BROWSER_WEEKS || "").split(",").filter(Boolean);
const COLUMNS = "id,time,channel,user,text,kind,topic,confidence,helped";

// The page's CSP allows no script, axe's included: let the test's own scripts in.
test.use({ bypassCSP: true });
test.skip(!TOKEN || WEEKS.length !== 4,
  "needs INFOSHARE_ANALYST_TOKEN and the seeded database: run it through test_browser.py");

// A week as the dashboard names it, by its Monday: "w/c 2 Nov 2026".
function weekLabel(iso) {
  const [year, month, date] = iso.split("-").map(Number);
  const months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");
  return `w/c ${date} ${months[month - 1]} ${year}`;
}

// How many counts in `section`'s table are suppressed ("<5" or "hidden"), totals left out.
async function suppressedCells(page, section) {
  const [header, ...body] = await rows(page, section);
  const counts = header.map((name, c) => c).filter((c) => c > 0 && header[c] !== "Total");
  return body.filter((r) => r[0] !== "Total").flatMap((r) => counts.map((c) => r[c]))
    .filter((text) => text === "<5" || text === "hidden").length;
}

function day(iso, plus) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plus);
  return d.toISOString().slice(0, 10);
}

// A table's rows as arrays of cell texts (header cells included).
async function rows(page, section) {
  return page.locator(`#table-${section} tr`).evaluateAll((trs) =>
    trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
}

// The cell of `section`'s table in the row whose first cell is `row`, under the column `column`.
async function cell(page, section, row, column) {
  const all = await rows(page, section);
  const c = all[0].indexOf(column);
  const found = all.find((r) => r[0] === row);
  expect(c, `column ${column} in table-${section}`).toBeGreaterThan(0);
  expect(found, `row ${row} in table-${section}`).toBeTruthy();
  return found[c];
}

async function signIn(page) {
  await page.goto("/analytics");
  await page.getByLabel("Analyst token").fill(TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();
}

test("signed out, a wrong token is refused and the right one signs in, by keyboard", async ({ page }) => {
  await page.goto("/analytics");
  await expect(page).toHaveURL(/\/analytics\/sign-in$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to analytics" })).toBeVisible();
  await expect(page.locator("#filters")).toHaveCount(0);
  await expectAccessible(page, "/analytics/sign-in");

  await page.getByLabel("Analyst token").fill("not-the-analyst-token-at-all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("That token isn't right. Check it and try again.");
  await expect(page.getByLabel("Analyst token")).toHaveAccessibleDescription(/token isn't right/);
  await expect(page.locator("#filters")).toHaveCount(0);
  expect(await page.request.get("/analytics/export.csv").then((r) => r.status())).toBe(401);
  await expectAccessible(page, "/analytics/sign-in after a wrong token");

  await tabTo(page, "Analyst token");
  await page.keyboard.type(TOKEN);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/analytics$/);
  await expect(page.locator("#filters")).toBeVisible();

  await page.locator("#sign-out").click();
  await expect(page).toHaveURL(/\/analytics\/sign-in$/);
  await expect(page.locator("#sign-in")).toBeVisible();
  await page.goto("/analytics");
  await expect(page).toHaveURL(/\/analytics\/sign-in$/);
});

test("the charts draw the seeded records and mark each suppressed one, their tables hold the numbers", async ({ page }) => {
  await signIn(page);
  for (const section of ["questions", "decisions", "topics", "outcomes", "gaps", "abandoned"]) {
    const chart = page.locator(`#${section} svg#chart-${section}`);
    await expect(chart, `chart-${section}`).toBeVisible();
    await expect(chart).toHaveAttribute("role", "img");
    expect(await chart.locator("rect").count(), `bars in chart-${section}`).toBeGreaterThan(0);
    await expect(page.locator(`#empty-${section}`)).toHaveCount(0);
  }
  // Questions: slack typed 12 in the first week and 42 in all (seed.py QUESTIONS).
  expect(await cell(page, "questions", weekLabel(WEEKS[0]), "slack")).toBe("12");
  expect(await cell(page, "questions", "Total", "slack")).toBe("42");
  // Teams typed 3 in the third week: too few to show.
  expect(await cell(page, "questions", weekLabel(WEEKS[2]), "teams")).toBe("<5");
  // The chart marks it where its bar would be, labelled and named, never leaves it out; so
  // too every other suppressed count (the first week's teams and web are hidden beside it).
  const questions = page.locator("#chart-questions");
  const marker = questions.getByRole("img",
    { name: `teams, ${weekLabel(WEEKS[2])}: <5, not drawn`, exact: true });
  await expect(marker).toBeVisible();
  await expect(marker.locator("text")).toHaveText("<5");
  const hidden = `web, ${weekLabel(WEEKS[0])}: hidden, not drawn`;
  await expect(questions.getByRole("img", { name: hidden, exact: true })).toBeVisible();
  await expect(questions.locator("[data-testid=suppressed]"))
    .toHaveCount(await suppressedCells(page, "questions"));
  await expect(questions).toHaveAccessibleName(new RegExp(`${weekLabel(WEEKS[2])}: [^;]*teams <5`));
  await expect(page.locator("#questions ul.legend")).toContainText("“<5”: under 5, not drawn");
  await expect(page.locator("#questions figcaption")).toContainText("Hatched markers");
  await expect(page.locator("#chart-abandoned [data-testid=suppressed]")).toHaveCount(
    await suppressedCells(page, "abandoned"));
  // Abandoned: 6 police flows left at the purpose question, 3 family ones at "Who is asking?".
  expect(await cell(page, "abandoned",
    "Police request: What do the police need the information for?", "conversations")).toBe("6");
  expect(await cell(page, "abandoned", "Family member or other person: Who is asking?",
    "conversations")).toBe("<5");
  // The chart's labels wrap beside their bars, whole: none is cut off.
  const labels = await page.locator("#chart-abandoned text[text-anchor=end]").allTextContents();
  expect(labels.join(" ")).toContain("Police request: What do the police need the information for?");
  expect(labels.filter((t) => t.includes("…"))).toEqual([]);
  // Knowledge gaps: the wifi question 6 times (4 + 2 differing in case), annual leave 5; the
  // mileage question, asked twice, is not listed.
  expect(await rows(page, "gaps")).toEqual([
    ["Question", "questions"], ["What's the wifi password", "6"], ["how do I book annual leave", "5"],
  ]);
  await expect(page.locator("#gaps")).not.toContainText("mileage");
  await expectAccessible(page, "/analytics signed in");
});

test("filters by channel and dates change the figures, by keyboard, and the download matches", async ({ page }) => {
  await signIn(page);
  const everything = Number(await cell(page, "topics", "Total", "questions"));
  expect(everything).toBeGreaterThanOrEqual(102); // 102 seeded, and the chat spec's own

  // Teams alone: 30 questions (6 + 11 + 3 + 10), no other channel's column, no gap asked 5 times.
  await page.locator("#f-channel").selectOption("teams");
  await page.locator("#apply").click();
  await expect(page).toHaveURL(/[?&]channel=teams/);
  expect((await rows(page, "questions"))[0]).toEqual(["Week", "teams"]);
  expect(await cell(page, "questions", "Total", "teams")).toBe("30");
  expect(await cell(page, "topics", "Total", "questions")).toBe("30");
  await expect(page.locator("#empty-gaps")).toBeVisible();
  await expect(page.locator("#f-channel")).toHaveValue("teams");

  // The second and third weeks, typed into the date fields by keyboard alone.
  const [from, to] = [WEEKS[1], day(WEEKS[2], 6)];
  await tabTo(page, "From");
  await typeDate(page, from);
  await tabTo(page, "To");
  await typeDate(page, to);
  await tabTo(page, "Apply");
  await expect(page.locator(":focus-visible")).toHaveId("apply"); // focus is shown
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`from=${from}&to=${to}&channel=teams`));
  // Two weeks: teams typed 11, then 3 (<5), 14 in all. (The 11 is hidden too, or the total
  // would give the 3 away.)
  expect((await rows(page, "questions")).map((r) => r[0])).toEqual(
    ["Week", weekLabel(WEEKS[1]), weekLabel(WEEKS[2]), "Total"]);
  expect(await cell(page, "questions", weekLabel(WEEKS[2]), "teams")).toBe("<5");
  expect(await cell(page, "questions", weekLabel(WEEKS[1]), "teams")).toBe("hidden");
  expect(await cell(page, "questions", "Total", "teams")).toBe("14");
  // So no chart (it would draw nothing to size): a sentence says why, and the numbers show.
  await expect(page.locator("#chart-questions")).toHaveCount(0);
  await expect(page.locator("#undrawn-questions"))
    .toHaveText("All counts here are under 5 or hidden, and not drawn.");
  await expect(page.locator("#table-questions")).toBeVisible();
  await expectAccessible(page, "/analytics with every count suppressed");

  // The channel by keyboard too: back to every channel, from the select itself.
  await tabTo(page, "Channel");
  await page.keyboard.press("Home");
  await tabTo(page, "Apply");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`from=${from}&to=${to}&channel=(&|$)`));
  expect(await cell(page, "questions", "Total", "Total")).toBe("50"); // 9+11+7 + 14+3+6

  // The download: the export's columns, and just the records these filters cover.
  await page.locator("#f-channel").selectOption("teams");
  await page.locator("#apply").click();
  await expect(page).toHaveURL(/channel=teams/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download").click()]);
  expect(download.suggestedFilename()).toBe(`infoshare-queries-${from}-${to}-teams.csv`);
  const [header, ...records] = readFileSync(await download.path(), "utf8").trim().split(/\r?\n/);
  expect(header).toBe(COLUMNS);
  // Teams in those weeks: 11 + 3 questions and 1 typed answer (seed.py ANSWERS).
  expect(records).toHaveLength(15);
  for (const line of records) {
    const [, time, channel, user] = line.split(",");
    expect(channel).toBe("teams");
    expect(time >= `${from}T00:00:00Z` && time < `${day(to, 1)}T00:00:00Z`, time).toBe(true);
    expect(user).toMatch(/^u_[0-9a-f]+$/);
  }
  expect(records.filter((r) => r.includes(",question,unknown,"))).not.toHaveLength(0);

  // Clear filters shows everything again.
  await page.getByRole("link", { name: "Clear filters" }).click();
  expect(Number(await cell(page, "topics", "Total", "questions"))).toBe(everything);
});

test("a filter that can't be used is refused by name, the others kept, never offered or downloaded", async ({ page }) => {
  await signIn(page);
  // A date far off: left out, saying so; the channel is kept; never an error page.
  let response = await page.goto("/analytics?to=9999-12-31&channel=teams");
  expect(response.status()).toBe(400);
  await expect(page.getByRole("alert")).toHaveText(
    "Filter ignored: the 'to' date 9999-12-31 is not between 2000-01-01 and 2100-12-31. " +
    "The figures below use the other filters.");
  await expect(page.locator("#f-channel")).toHaveValue("teams");
  await expect(page.locator("#f-to")).toHaveValue("");
  expect(await cell(page, "topics", "Total", "questions")).toBe("30");
  await expect(page.locator("#download")).toHaveAttribute("href", "/analytics/export.csv?channel=teams");
  await expectAccessible(page, "/analytics with a filter ignored");
  // An unknown channel or topic: refused, and never added to the lists.
  response = await page.goto("/analytics?channel=fax");
  expect(response.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText("'fax' is not a channel");
  await expect(page.locator("#f-channel option")).toHaveText(["All", "cli", "slack", "teams", "web"]);
  response = await page.goto("/analytics?topic=nope");
  expect(response.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText("'nope' is not a topic the assistant knows");
  await expect(page.locator("#f-topic option[value=nope]")).toHaveCount(0);
  // A download with one refuses, saying why, rather than give every record.
  for (const query of ["to=9999-12-31", "channel=fax", "topic=nope", "from=2026-02-30"]) {
    const download = await page.request.get(`/analytics/export.csv?${query}`);
    expect(download.status(), query).toBe(400);
    expect(await download.text(), query).toMatch(/^Nothing was downloaded: /);
  }
});

test("filters that match nothing say so in place of every chart and table", async ({ page }) => {
  await signIn(page);
  const [from, to] = [day(WEEKS[0], -14), day(WEEKS[0], -13)];
  await page.goto(`/analytics?from=${from}&to=${to}`);
  for (const section of ["questions", "decisions", "topics", "outcomes", "abandoned"]) {
    await expect(page.locator(`#empty-${section}`)).toHaveText("No data for these filters.");
  }
  await expect(page.locator("#empty-gaps")).toHaveText(
    "No question was asked 5 or more times with these filters.");
  await expect(page.locator("main svg")).toHaveCount(0);
  await expect(page.locator("main table")).toHaveCount(0);
  await expectAccessible(page, "/analytics with nothing matching");
});

test("at 360px the download note sits below its button, and the sign-in page has no console error", async ({ page }) => {
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto("/analytics/sign-in");
  await expect(page.locator("#sign-in")).toBeVisible();
  expect((await page.request.get("/favicon.ico")).status()).toBe(204);
  await signIn(page);
  const button = await page.locator("#download").boundingBox();
  const note = await page.locator(".download .note").boundingBox();
  expect(note.y).toBeGreaterThanOrEqual(button.y + button.height);
  expect(Math.abs(note.x - button.x)).toBeLessThan(1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(errors).toEqual([]);
});

test("a record found to name someone is withheld from the dashboard, by keyboard", async ({ page }) => {
  await signIn(page);
  // A police question from the download (withholding it changes no gap or count asserted above).
  const csv = async () => (await page.request.get("/analytics/export.csv?channel=slack")).text();
  const line = (await csv()).split(/\r?\n/).find((l) => l.includes(",question,police,"));
  const id = line.split(",")[0];
  await expect(page.getByRole("heading", { level: 2, name: "Withhold a record" })).toBeVisible();
  await expect(page.getByLabel("Record ids")).toHaveAccessibleDescription(/never the identifier itself/);
  await tabTo(page, "Record ids", 200);
  await page.keyboard.type(`${id} not-an-id`);
  await tabTo(page, "Withhold");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/analytics\/withhold$/);
  await expect(page.getByRole("status")).toHaveText(
    "1 record withheld: the text is now “[WITHHELD]” in the query log and every download.");
  await expect(page.getByRole("alert")).toHaveText(
    "Not in the query log (purged, or mistyped): not-an-id.");
  await expectAccessible(page, "/analytics/withhold");
  const withheld = (await csv()).split(/\r?\n/).find((l) => l.startsWith(`${id},`));
  expect(withheld).toContain(",[WITHHELD],question,police,");
  await page.getByRole("link", { name: "Back to the dashboard" }).click();
  await expect(page).toHaveURL(/\/analytics$/);
});
