// Fails when a page of a printed report, other than its last, is near empty: what is printed on it
// ends within the top quarter of the printable height (a heading or a few lines alone on a page, as
// a page break before a chapter left when the text before it ran over by a few lines). Each page
// is drawn in grey by pdftoppm (poppler) at a low resolution and its lowest dark pixel found.
// Usage: node scripts/check-pdf-fill.mjs [--min-fill 0.25] REPORT.pdf [...]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// A4 and the report's @page margins (top and bottom 16 mm)
const PAGE_MM = 297;
const MARGIN_MM = 16;
// darker than this is print (text, rules, pictures); the boxes' pale backgrounds are lighter
const DARK = 200;

const args = process.argv.slice(2);
let minFill = 0.25;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--min-fill') minFill = Number(args[++i]);
  else files.push(args[i]);
}
if (files.length === 0) {
  console.error('usage: node check-pdf-fill.mjs [--min-fill 0.25] REPORT.pdf [...]');
  process.exit(2);
}

/** The grey pixels of a binary PGM (P5, 8 bits) as pdftoppm writes it. */
function pgm(bytes) {
  const header = [];
  let at = 0;
  while (header.length < 4) {
    while (/\s/.test(String.fromCharCode(bytes[at]))) at++;
    let token = '';
    while (!/\s/.test(String.fromCharCode(bytes[at]))) token += String.fromCharCode(bytes[at++]);
    header.push(token);
  }
  const [magic, width, height] = [header[0], Number(header[1]), Number(header[2])];
  if (magic !== 'P5') throw new Error(`not a binary PGM: ${magic}`);
  return { width, height, pixels: bytes.subarray(at + 1) };
}

/** How far down the printable height a page's print reaches (0 = empty, 1 = to the bottom). */
function fill({ width, height, pixels }) {
  for (let y = height - 1; y >= 0; y--) {
    for (let x = 0; x < width; x++) {
      if (pixels[y * width + x] < DARK) {
        const mm = ((y + 1) / height) * PAGE_MM;
        return (mm - MARGIN_MM) / (PAGE_MM - 2 * MARGIN_MM);
      }
    }
  }
  return 0;
}

const problems = [];
for (const file of files) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pdf-fill-'));
  try {
    execFileSync('pdftoppm', ['-gray', '-r', '24', file, path.join(dir, 'page')]);
    const pages = readdirSync(dir).filter((f) => f.endsWith('.pgm')).sort();
    const fills = pages.map((p) => fill(pgm(readFileSync(path.join(dir, p)))));
    const empty = fills.slice(0, -1).flatMap((f, i) => (f < minFill ? [[i + 1, f]] : []));
    for (const [page, f] of empty) {
      problems.push(`${file}: page ${page} of ${fills.length} is near empty: its print ends at ${Math.round(100 * f)} % of the printable height`);
    }
    console.log(`${file}: ${fills.length} pages, ${empty.length} before the last filled less than ${Math.round(100 * minFill)} %`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
