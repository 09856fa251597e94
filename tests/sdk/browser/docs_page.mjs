// Opens the service's /docs page in headless Chromium (playwright-core, the system browser)
// with the network restricted to loopback; prints a JSON report of what the page showed and
// requested, and saves a screenshot.
//   node docs_page.mjs URL SCREENSHOT
// NODE_TOOLS: the node_modules holding playwright-core; DOCS_TAGS: the spec's tags (JSON).
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
  await page.screenshot({ path: screenshot, fullPage: false });
  console.log(
    JSON.stringify({
      status: response.status(),
      title: await page.title(),
      text,
      requested,
      leaked,
    }),
  );
} finally {
  await browser.close();
}
