// Renders dist/koodrive-space.html in Debian's headless Chromium, driven by playwright-core
// (which downloads no browser), and prints what a reader sees as JSON for tests/test_docs.py.
//
//   node tests/render_docs.mjs HTML_FILE USER_DATA_DIR ROUTE...
//
// Each ROUTE is a Redoc page such as `space/getspaceinfo` or a description section such as
// `section/authentication/app-signature`; the page is opened once and each
// route is visited in turn. Every request for anything but the file itself (file:, data:, blob:)
// is refused and reported: the page must work offline.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [htmlFile, userDataDir, ...routes] = process.argv.slice(2);
const LOCAL = /^(file|data|blob):/;
const TIMEOUT_MS = 15000;

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  timeout: TIMEOUT_MS,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const remoteRequests = [];
  const errors = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (LOCAL.test(url)) return route.continue();
    remoteRequests.push(url);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT_MS);
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
  const sections = {};
  // Redoc collapses a menu group while the reader is elsewhere, so the menu is every entry
  // seen while visiting the routes, in the order first seen.
  const menu = [];
  for (const route of routes) {
    await page.evaluate((hash) => {
      window.location.hash = hash;
    }, `#/${route}`);
    const section = await page.waitForFunction(
      (id) => (document.getElementById(id)?.innerText.trim() ? document.getElementById(id) : null),
      route,
    );
    sections[route] = await section.evaluate((element) => {
      // A description section is a heading followed by its text: read up to the next heading.
      if (!element.id.startsWith('section/')) return element.innerText;
      const headings = [...document.querySelectorAll('[id^="section/"]')];
      const next = headings[headings.indexOf(element) + 1];
      const range = document.createRange();
      range.setStartBefore(element);
      if (next) range.setEndBefore(next);
      else range.setEndAfter(element.parentElement.parentElement.lastElementChild);
      return range.toString();
    });
    const entries = await page.$$eval('[data-component-name="Menu/MenuItem"]', (items) =>
      items.map((item) => item.innerText.trim()),
    );
    menu.push(...entries.filter((entry) => !menu.includes(entry)));
  }
  const title = await page.title();
  process.stdout.write(JSON.stringify({ title, menu, sections, remoteRequests, errors }));
} finally {
  await context.close();
}
