// An axe-core scan that fails on any serious or critical violation (WCAG 2.0-2.2 A and AA
// rules), printing each one found so the failure says what to fix.
import AxeBuilder from "@axe-core/playwright";
import { expect } from "@playwright/test";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

export async function expectAccessible(page, where) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const serious = results.violations.filter((v) => ["serious", "critical"].includes(v.impact));
  for (const v of results.violations) {
    const targets = v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ");
    console.log(`axe ${where}: ${v.impact} ${v.id}: ${v.help} [${targets}]`);
  }
  expect(serious.map((v) => `${v.impact} ${v.id}`), `serious or critical axe violations on ${where}`).toEqual([]);
  return results;
}
