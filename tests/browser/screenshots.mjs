// Screenshots for the README: the web chat, a conversation with its buttons and the decision
// summary (docs/screenshots/chat.png), and the analytics dashboard signed in, on the seeded
// records (docs/screenshots/dashboard.png). Run against a running server:
//   INFOSHARE_BASE_URL=http://127.0.0.1:3978 node screenshots.mjs
// (test_browser.py's serving() starts one; `make screenshots` does both.)
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium as browserType } from "@playwright/test";
import { ARGS, chromium } from "./playwright.config.mjs";

const base = process.env.INFOSHARE_BASE_URL;
if (!base) {
  console.error("set INFOSHARE_BASE_URL to a running infoshare serve, e.g. http://127.0.0.1:3978");
  process.exit(2);
}
const out = resolve(dirname(fileURLToPath(import.meta.url)), "../../docs/screenshots");
mkdirSync(out, { recursive: true });

const browser = await browserType.launch({ executablePath: chromium, args: ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 1400 }, locale: "en-GB" });
  await page.goto(new URL("/chat", base).href);
  const press = (name) =>
    page.locator("li.bot").last().getByRole("button", { name, exact: true }).click();
  await page.getByRole("button", { name: "Police request" }).waitFor();
  for (const answer of ["Police request", "No", "A court order or warrant", "Yes"]) {
    await press(answer);
    await page.locator("li.you").last().filter({ hasText: answer }).waitFor();
  }
  await page.locator(".summary").waitFor();
  await page.mouse.move(0, 0);
  await page.locator("body").evaluate(() => document.activeElement.blur());
  await page.screenshot({ path: `${out}/chat.png`, fullPage: true });
  console.log(`wrote ${out}/chat.png`);

  // The dashboard's top: the filters and the first charts, at a laptop's width.
  const token = process.env.INFOSHARE_ANALYST_TOKEN;
  if (!token) throw new Error("set INFOSHARE_ANALYST_TOKEN for the dashboard's screenshot");
  const analyst = await browser.newPage({ viewport: { width: 1100, height: 1500 }, locale: "en-GB" });
  await analyst.goto(new URL("/analytics", base).href);
  await analyst.getByLabel("Analyst token").fill(token);
  await analyst.getByRole("button", { name: "Sign in" }).click();
  await analyst.locator("#chart-questions").waitFor();
  await analyst.screenshot({ path: `${out}/dashboard.png` });
  console.log(`wrote ${out}/dashboard.png`);
} finally {
  await browser.close();
}
