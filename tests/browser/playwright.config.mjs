// Browser tests against a running `infoshare serve` (tests/browser/test_browser.py starts one
// and sets INFOSHARE_BASE_URL). Debian's Chromium, not a downloaded build: CHROMIUM_PATH
// overrides /usr/bin/chromium. Every specs/*.spec.mjs runs; a new page is one more file.
import { defineConfig } from "@playwright/test";

export const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
  "--disable-background-networking", "--disable-component-update"];

export default defineConfig({
  testDir: "specs",
  testMatch: "*.spec.mjs",
  workers: 1, // the machine has 2 cores; the server needs one
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [["list"]],
  outputDir: process.env.INFOSHARE_BROWSER_RESULTS || "test-results",
  use: {
    baseURL: process.env.INFOSHARE_BASE_URL,
    browserName: "chromium",
    headless: true,
    // Quiet at start-up: no calls home, which this machine's closed network refuses anyway.
    launchOptions: { executablePath: chromium, args: ARGS },
    locale: "en-GB",
    trace: "off",
    screenshot: "only-on-failure",
  },
});
