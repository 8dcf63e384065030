// Prints a municipality's sheets (`typfrage position … --out s.html`, every sheet `typfrage
// feedback` writes) in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// the way the municipality would print them, and fails unless each one
// - prints on ONE A4 page (the PDF Chromium prints with the page's own @page rules);
// - shows its chart at the full width of the printed text (at least 97 % of it, and the text at
//   least 170 mm wide);
// - has no text smaller than 8 pt on paper: every text of the page and every text of the chart
//   (an SVG text's size times the chart's scale on paper);
// - loads nothing from elsewhere and logs no error.
// Arguments are sheets or folders (every .html in a folder but index.html). The first sheet of
// each argument is printed beside it (NAME.pdf) and drawn as NAME-print.png by the caller
// (scripts/check-report-in-browser.sh, with pdftoppm), to be looked at.
// Usage: node check-sheets.mjs SHEET.html|FOLDER [...]
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const MIN_PT = 8;
const MM = 96 / 25.4; // CSS px per mm

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: node check-sheets.mjs SHEET.html|FOLDER [...]');
  process.exit(2);
}
const groups = args.map((a) => (statSync(a).isDirectory()
  ? readdirSync(a).filter((f) => f.endsWith('.html') && f !== 'index.html').sort().map((f) => path.join(a, f))
  : [a]));

/** Pages of a PDF as Chromium writes it (one `/Type /Page` object per page). */
function pdfPages(bytes) {
  const text = bytes.toString('latin1');
  return (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
let problems = [];
page.on('console', (m) => { if (m.type() === 'error') problems.push(`page error: ${m.text()}`); });
page.on('pageerror', (e) => problems.push(`page error: ${e}`));
page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`loads ${r.url().slice(0, 80)}`); });

let failed = 0;
let checked = 0;
let smallest = Infinity;
let tallest = 0;
for (const files of groups) {
  if (files.length === 0) { console.log(`${args[groups.indexOf(files)]}: no sheet`); failed++; continue; }
  for (const [i, file] of files.entries()) {
    problems = [];
    await page.emulateMedia({ media: 'print' });
    await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
    // the width the page lays its text out in on A4 (its own @page margins)
    // (the last @page rule wins, as in print)
    const margins = await page.evaluate(() => {
      let found = null;
      for (const sheet of document.styleSheets) {
        for (const rule of sheet.cssRules) {
          if (rule.type === CSSRule.PAGE_RULE) {
            found = [rule.style.getPropertyValue('margin-left'), rule.style.getPropertyValue('margin-right')];
          }
        }
      }
      return found;
    });
    const mm = (v) => (v && v.endsWith('mm') ? parseFloat(v) : 10);
    const textWidthMm = 210 - (margins ? mm(margins[0]) + mm(margins[1]) : 20);
    await page.setViewportSize({ width: Math.floor(textWidthMm * MM), height: 1100 });
    const m = await page.evaluate(() => {
      const body = document.body.getBoundingClientRect().width;
      const svg = document.querySelector('figure.chart svg');
      // the drawing's width on the page (its box may be wider than the drawing it holds)
      const chart = svg ? svg.viewBox.baseVal.width * Math.hypot(svg.getScreenCTM().a, svg.getScreenCTM().b) : 0;
      const small = [];
      let least = Infinity;
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent.trim()) continue;
        const el = n.parentElement;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden' || el.closest('style, script, title')) continue;
        let px = parseFloat(style.fontSize);
        if (el.ownerSVGElement) {
          // an SVG text: its size in the drawing's units, times the drawing's scale on the page
          const ctm = el.getScreenCTM();
          px *= Math.hypot(ctm.a, ctm.b);
        }
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 && rect.height === 0) continue;
        const pt = px * 0.75;
        if (pt < least) least = pt;
        if (pt < 8 - 1e-6) small.push(`${pt.toFixed(1)} pt: ${n.textContent.trim().slice(0, 40)}`);
      }
      return { body, chart, least, small: small.slice(0, 5), count: small.length };
    });
    const pdfPath = file.replace(/\.html$/, '') + '.pdf';
    const pdf = await page.pdf({ path: i === 0 ? pdfPath : undefined, format: 'A4', preferCSSPageSize: true, printBackground: true });
    const pages = pdfPages(Buffer.from(pdf));
    if (pages !== 1) problems.push(`prints on ${pages} A4 pages, not one`);
    if (m.body < 170 * MM) problems.push(`the text is ${(m.body / MM).toFixed(0)} mm wide on paper, less than 170 mm`);
    if (m.chart < 0.97 * m.body) problems.push(`the chart is ${(m.chart / MM).toFixed(0)} mm wide, the text ${(m.body / MM).toFixed(0)} mm: not at full width`);
    if (m.count > 0) {
      problems.push(`${m.count} texts smaller than ${MIN_PT} pt on paper`);
      for (const s of m.small) problems.push(`  ${s}`);
    }
    smallest = Math.min(smallest, m.least);
    tallest = Math.max(tallest, pages);
    checked++;
    if (i === 0 || problems.length > 0) {
      console.log(`${file}: ${pages} A4 page(s), chart ${(m.chart / MM).toFixed(0)} mm of ${(m.body / MM).toFixed(0)} mm, smallest text ${m.least.toFixed(1)} pt${i === 0 ? `; PDF ${pdfPath}` : ''}`);
    }
    for (const p of problems) console.log(`  ${p}`);
    if (problems.length > 0) failed++;
  }
}
await browser.close();
console.log(`${checked} sheets printed: ${failed} failed; the most pages ${tallest}, the smallest text ${smallest.toFixed(1)} pt`);
process.exit(failed > 0 ? 1 : 0);
