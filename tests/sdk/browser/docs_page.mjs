// Opens the service's /docs page in headless Chromium (playwright-core, the system browser)
// with the network restricted to loopback; prints a JSON report of what the page showed and
// requested, and saves a screenshot.
//   node docs_page.mjs URL SCREENSHOT
// NODE_TOOLS: the node_modules holding playwright-core; DOCS_TAGS: the spec's tags,
// DOCS_OPERATIONS: [route, summary] per operation, DOCS_LANGUAGES: the code samples' languages (JSON).
import { createRequire } from 'node:module';

const require = createRequire(`${process.env.NODE_TOOLS}/`);
const { chromium } = require('playwright-core');
const [url, screenshot] = process.argv.slice(2);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Every name resolves nowhere; only loopback addresses can be reached.
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  ],
});
const requested = [];
const leaked = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('request', (request) => requested.push(request.url()));
  await page.route('**/*', (route) => {
    const target = new URL(route.request().url());
    if (['http:', 'https:', 'ws:', 'wss:'].includes(target.protocol) && !LOOPBACK.has(target.hostname)) {
      leaked.push(target.href);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  const response = await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForSelector('h1, h2', { timeout: 15000 });
  // Operations sit collapsed under their tags: open each tag in the sidebar, as a reader
  // would, and keep what the page shows each time.
  const seen = [await page.evaluate(() => document.body.innerText)];
  for (const tag of JSON.parse(process.env.DOCS_TAGS ?? '[]')) {
    await page.getByText(tag, { exact: true }).first().click({ timeout: 5000 });
    await page.waitForTimeout(300);
    seen.push(await page.evaluate(() => document.body.innerText));
  }
  const text = seen.join('\n');
  // The code samples: open each operation's page, pick each language in its samples panel.
  const languages = JSON.parse(process.env.DOCS_LANGUAGES ?? '[]');
  // A visible label with exactly this text, outside code (a sample's own `curl` is not one).
  const label = (text) =>
    page
      .locator(`xpath=//*[text()[normalize-space(.)="${text}"] and not(ancestor::pre) and not(ancestor::code)]`)
      .filter({ visible: true });
  // Of those, the one in the viewport: the page also renders the operations next to the one
  // on show, whose panels are "visible" though scrolled out of view.
  const inView = async (locator) => {
    const height = page.viewportSize().height;
    for (let i = 0; i < (await locator.count()); i++) {
      const box = await locator.nth(i).boundingBox();
      if (box && box.y >= 0 && box.y + box.height <= height) return locator.nth(i);
    }
    return locator.last();
  };
  const samples = Object.fromEntries(languages.map((language) => [language, []]));
  for (const [route, summary] of JSON.parse(process.env.DOCS_OPERATIONS ?? '[]')) {
    await page.goto('about:blank'); // a new document: the page does not follow hash changes
    await page.goto(`${url}#${route}`, { waitUntil: 'networkidle' });
    await page.getByText(summary, { exact: true }).first().waitFor({ timeout: 5000 });
    await page.waitForTimeout(500); // the samples panel renders after the page
    for (const language of languages) {
      let current;
      for (const shown of languages) {
        if ((await label(shown).count()) > 0) {
          current = shown;
          break;
        }
      }
      if (current !== language) {
        await (await inView(label(current))).click({ timeout: 5000 });
        await (await inView(label(language))).dispatchEvent('click');
        await page.waitForTimeout(300);
      }
      samples[language].push(await page.evaluate(() => document.body.innerText));
    }
  }
  for (const language of languages) samples[language] = samples[language].join('\n');
  await page.screenshot({ path: screenshot, fullPage: false });
  console.log(
    JSON.stringify({
      status: response.status(),
      title: await page.title(),
      text,
      samples,
      requested,
      leaked,
    }),
  );
} finally {
  await browser.close();
}
