// Driving a page with the keyboard alone, as a keyboard or screen reader user does.
import { expect } from "@playwright/test";

// The focused element's name: a form field's label, or the text of a button or link.
export async function focusedName(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "";
    const label = el.labels && el.labels.length ? el.labels[0].innerText : null;
    return (label || el.getAttribute("aria-label") || el.innerText || "").trim();
  });
}

// Press Tab until the focused element is named `name`; fails if it takes more than `limit`.
export async function tabTo(page, name, limit = 40) {
  for (let i = 0; i < limit; i++) {
    if ((await focusedName(page)) === name) return;
    await page.keyboard.press("Tab");
  }
  expect(await focusedName(page), `reached "${name}" by Tab`).toBe(name);
}

// Type the date `iso` (YYYY-MM-DD) into the date field just tabbed to, as a person would:
// segment by segment, in the order this Chromium shows them (month first with only its en-US
// locale installed, day first in en-GB), found by typing 1 February 2000 first.
export async function typeDate(page, iso) {
  const field = page.locator(":focus");
  await page.keyboard.type("01022000");
  const dayFirst = (await field.inputValue()) === "2000-02-01";
  await page.keyboard.press("Shift+Tab"); // back from the year to the first segment
  await page.keyboard.press("Shift+Tab");
  const [year, month, day] = iso.split("-");
  await page.keyboard.type(dayFirst ? day + month + year : month + day + year);
  await expect(field).toHaveValue(iso);
}
