// Opens report.html files in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) and fails if
// - any picture is missing or did not decode, or the page logged an error;
// - two elements share an id, or an in-page link (href="#…") has no target;
// - printed (print media, A4 with the page's own @page rules) anything is wider than the page, or
//   a chart's smallest text is under 8 pt (its size in the picture's pixels, which the page
//   states as data-text-px, times the scale the picture is printed at);
// - the A4 PDF that Chromium prints has more pages than --max-pages.
// It writes beside each report a screenshot of the first screen (REPORT-screenshot.png) and the
// printed PDF (REPORT.pdf), to be looked at.
// Usage: node scripts/check-report-in-browser.mjs [--max-pages N] REPORT.html [...]
// Needs: apt-get install chromium; npm install playwright-core (scripts/check-report-in-browser.sh
// does both).
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
let maxPages = Infinity;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--max-pages') maxPages = Number(args[++i]);
  else files.push(args[i]);
}
if (files.length === 0 || !(maxPages > 0)) {
  console.error('usage: node check-report-in-browser.mjs [--max-pages N] REPORT.html [...]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// A4 is 210 mm wide; the report's @page leaves 14 mm on either side: 182 mm at 96 px per inch.
const PRINT_WIDTH = Math.floor((182 / 25.4) * 96);
// the least height of a chart's text on paper, in points
const MIN_PT = 8;

/** Pages of a PDF as Chromium writes it (one `/Type /Page` object per page, uncompressed). */
function pdfPages(bytes) {
  const text = bytes.toString('latin1');
  return (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

let failed = false;
for (const file of files) {
  const problems = [];
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`page error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url().slice(0, 80)}`));
  await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
  const images = await page.evaluate(() => Array.from(document.images).map((img) => ({
    alt: img.alt,
    complete: img.complete,
    width: img.naturalWidth,
    height: img.naturalHeight,
  })));
  const broken = images.filter((i) => !i.complete || i.width === 0 || i.height === 0);
  if (images.length === 0) problems.push('no picture at all');
  for (const b of broken) problems.push(`missing picture: ${b.alt}`);

  // ids unique, every in-page link has its target
  const links = await page.evaluate(() => {
    const ids = Array.from(document.querySelectorAll('[id]')).map((e) => e.id);
    const seen = new Set();
    const repeated = ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
    const hrefs = Array.from(document.querySelectorAll('a[href^="#"]')).map((a) => a.getAttribute('href').slice(1));
    const dangling = hrefs.filter((h) => !document.getElementById(decodeURIComponent(h)));
    return { ids: ids.length, repeated, links: hrefs.length, dangling };
  });
  for (const id of links.repeated) problems.push(`id used more than once: ${id}`);
  for (const h of links.dangling) problems.push(`link to a missing target: #${h}`);
  if (links.links === 0) problems.push('no in-page link (the table of contents is missing)');

  const title = await page.title();
  const shot = file.replace(/\.html$/, '') + '-screenshot.png';
  await page.screenshot({ path: shot, fullPage: false });

  // printed: nothing wider than the page's printable width
  await page.setViewportSize({ width: PRINT_WIDTH, height: 1000 });
  await page.emulateMedia({ media: 'print' });
  const overflow = await page.evaluate((width) => {
    const wide = [];
    for (const e of document.querySelectorAll('body *')) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1) {
        wide.push(`${e.tagName.toLowerCase()} ${Math.round(r.right)} px: ${(e.textContent || e.getAttribute('alt') || '').trim().slice(0, 60)}`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 5), count: wide.length };
  }, PRINT_WIDTH);
  if (overflow.scrollWidth > PRINT_WIDTH || overflow.count > 0) {
    problems.push(`printed, the page is ${overflow.scrollWidth} px wide, the paper ${PRINT_WIDTH} px; ${overflow.count} elements reach beyond it`);
    for (const w of overflow.wide) problems.push(`  too wide: ${w}`);
  }

  // printed: every chart's smallest text at least MIN_PT high on paper (the height of its
  // smallest text in the picture's pixels, data-text-px, times the scale it is printed at)
  const charts = await page.evaluate(() => Array.from(document.images).map((img) => {
    const style = getComputedStyle(img);
    const border = parseFloat(style.borderLeftWidth) + parseFloat(style.borderRightWidth);
    const shown = img.getBoundingClientRect().width - border;
    const px = parseFloat(img.dataset.textPx);
    return { alt: img.alt, px, pt: (px * shown) / img.naturalWidth * 0.75 };
  }));
  let smallestPt = Infinity;
  for (const c of charts) {
    if (!(c.px > 0)) { problems.push(`a chart without its text size (data-text-px): ${c.alt.slice(0, 60)}`); continue; }
    smallestPt = Math.min(smallestPt, c.pt);
    if (c.pt < MIN_PT - 1e-6) problems.push(`printed, the smallest text of a chart is ${c.pt.toFixed(1)} pt, under ${MIN_PT} pt: ${c.alt.slice(0, 60)}`);
  }

  // printed to an A4 PDF: the page count
  const pdfPath = file.replace(/\.html$/, '') + '.pdf';
  await page.pdf({ path: pdfPath, format: 'A4', preferCSSPageSize: true, printBackground: true });
  const pages = pdfPages(readFileSync(pdfPath));
  if (!(pages >= 1)) problems.push(`the PDF ${pdfPath} has no pages`);
  if (pages > maxPages) problems.push(`the A4 PDF has ${pages} pages, more than the ${maxPages} allowed`);

  console.log(`${file}: "${title}", ${images.length} pictures, ${broken.length} missing, the smallest chart text printed ${smallestPt.toFixed(1)} pt; ${links.ids} ids, ${links.links} in-page links; A4 PDF ${pages} pages (at most ${maxPages}); screenshot ${shot}, PDF ${pdfPath}`);
  for (const p of problems) console.log(`  ${p}`);
  if (problems.length > 0) failed = true;
  await page.close();
}
await browser.close();
process.exit(failed ? 1 : 0);
