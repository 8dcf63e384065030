// Opens report.html files in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) and fails if any picture is missing or did not decode, or the page logged an
// error. Usage: node scripts/check-report-in-browser.mjs REPORT.html [...]
// Needs: apt-get install chromium; npm install playwright-core (scripts/check-report-in-browser.sh
// does both).
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check-report-in-browser.mjs REPORT.html [...]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
for (const file of files) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url().slice(0, 80)}`));
  await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
  const images = await page.evaluate(() => Array.from(document.images).map((img) => ({
    alt: img.alt,
    complete: img.complete,
    width: img.naturalWidth,
    height: img.naturalHeight,
  })));
  const broken = images.filter((i) => !i.complete || i.width === 0 || i.height === 0);
  const title = await page.title();
  const shot = file.replace(/\.html$/, '') + '-screenshot.png';
  await page.screenshot({ path: shot, fullPage: false });
  console.log(`${file}: "${title}", ${images.length} pictures, ${broken.length} missing; screenshot ${shot}`);
  for (const b of broken) console.log(`  missing picture: ${b.alt}`);
  for (const e of errors) console.log(`  page error: ${e}`);
  if (images.length === 0 || broken.length > 0 || errors.length > 0) failed = true;
  await page.close();
}
await browser.close();
process.exit(failed ? 1 : 0);
