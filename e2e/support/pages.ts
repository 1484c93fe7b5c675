// Small helpers shared by the browser tests: pages in their own contexts, steps that keep a
// screenshot when they fail, and "wait until a person could see it".
import fs from 'node:fs';
import type { TestContext } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

const resultsDir = new URL('../test-results/', import.meta.url);

export class Pages {
  private readonly contexts: BrowserContext[] = [];
  constructor(private readonly browser: () => Browser) {}

  /** a page in a fresh context (its own localStorage: its own sessions) */
  async open(viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await this.browser().newContext({ locale: 'ko-KR', viewport });
    context.setDefaultTimeout(15_000);
    this.contexts.push(context);
    return context.newPage();
  }

  async closeAll(): Promise<void> {
    for (const context of this.contexts.splice(0)) await context.close().catch(() => undefined);
  }
}

/** runs a step; on failure keeps a screenshot of each page in e2e/test-results/ */
export async function step(t: TestContext, name: string, pages: Page[], body: () => Promise<void>): Promise<void> {
  await t.test(name, async () => {
    try {
      await body();
    } catch (error) {
      fs.mkdirSync(resultsDir, { recursive: true });
      await Promise.all(
        pages.map((page, index) =>
          page.screenshot({ path: new URL(`${name.replace(/\W+/g, '-')}-${index}.png`, resultsDir).pathname, fullPage: true }).catch(() => undefined),
        ),
      );
      throw error;
    }
  });
}

/** waits until the locator is visible (fails the test if it never is) */
export async function see(locator: Locator, timeout?: number): Promise<void> {
  await locator.waitFor({ state: 'visible', ...(timeout ? { timeout } : {}) });
}

/** signs in on the login page as a store owner (to the POS) or a counselor (to the console), as a person would */
export async function signIn(page: Page, serverUrl: string, role: 'owner' | 'counselor', account: { email: string; password: string }): Promise<void> {
  await page.goto(`${serverUrl}/login?role=${role}`);
  await page.getByLabel('이메일').fill(account.email);
  await page.getByLabel('비밀번호', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.waitForURL(role === 'owner' ? '**/pos/**' : '**/counselor');
}
