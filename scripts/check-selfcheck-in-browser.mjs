// The self-check page in headless Chromium against `typfrage classify`: for every municipality of
// the shipped survey (ratings from the page's address), for a sample by filling the form, on
// vectors exactly on a tie between two types, and with unanswered goals (under the listwise
// policy the page assigns no type, as classify leaves the municipality out; under the mean policy
// both count the saved mean). With --survey, the nearest municipalities it lists for a sample of
// rating vectors are position --survey's, with classify's certainty. Also: nothing is fetched from the network, no console error, and
// the page prints (PDF).
// Usage (beside node_modules with playwright-core): node check-selfcheck.mjs TYPFRAGE SURVEY.csv WORKDIR
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [bin, surveyFile, work] = process.argv.slice(2);
fs.mkdirSync(work, { recursive: true });
const run = (...args) => execFileSync(bin, args, { encoding: 'utf8' });

// a small CSV reader (RFC 4180 quotes), skipping '#' comment lines before the header
function readCsv(file) {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && lines[i].startsWith('#')) { i++; }
  const rows = [];
  let row = [], cell = '', quoted = false;
  const body = lines.slice(i).join('\n');
  for (let k = 0; k < body.length; k++) {
    const c = body[k];
    if (quoted) {
      if (c === '"' && body[k + 1] === '"') { cell += '"'; k++; }
      else if (c === '"') { quoted = false; }
      else { cell += c; }
    } else if (c === '"') { quoted = true; }
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
    else { cell += c; }
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  const [header, ...data] = rows;
  return data.filter((r) => r.length === header.length).map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]])));
}

function writeCsv(file, header, rows) {
  fs.writeFileSync(file, [header.join(','), ...rows.map((r) => header.map((h) => r[h] ?? '').join(','))].join('\n') + '\n');
}

const failures = [];
function expect(ok, message) { if (!ok) { failures.push(message); } }

// models: the shipped data clustered as usual (listwise) and with --missing mean
const models = {};
for (const [name, extra] of [['listwise', []], ['mean', ['--missing', 'mean']]]) {
  const dir = path.join(work, name);
  run('cluster', surveyFile, '--out', dir, '--n-init', '10', ...extra);
  models[name] = path.join(dir, 'model.json');
}
const model = JSON.parse(fs.readFileSync(models.listwise, 'utf8'));
const goals = model.variables;

// a model whose type centroids sit at 5, 2, 4 and 1 on every goal: a vector whose ratings add up
// to 33 is exactly as far from the second type (2) as from the third (4), in integer arithmetic,
// so the rule must pick the type listed first of the two (optimierer), not the one listed later
const tie = JSON.parse(JSON.stringify(model));
[5, 2, 4, 1].forEach((level, t) => {
  tie.types[t].centroid_scaled = goals.map(() => level);
  tie.types[t].centroid = goals.map(() => level);
});
models.tie = path.join(work, 'tie-model.json');
fs.writeFileSync(models.tie, JSON.stringify(tie, null, 2));
const tieRows = [];
const patterns = [
  [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
  [2, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3],
  [4, 2, 2, 4, 3, 3, 3, 4, 2, 3, 3],
  [3, 3, 3, 3, 3, 4, 2, 3, 3, 3, 3],
  [2, 2, 4, 4, 3, 3, 3, 3, 3, 4, 2],
];
patterns.forEach((p, i) => {
  if (p.reduce((a, b) => a + b, 0) !== 33) { throw new Error(`pattern ${i} is not a tie`); }
  tieRows.push(Object.fromEntries([['id', `tie-${i + 1}`], ...goals.map((g, j) => [g, String(p[j])])]));
});
// near a tie, and with an unanswered goal
tieRows.push(Object.fromEntries([['id', 'near-tie'], ...goals.map((g, j) => [g, j === 0 ? '4' : '3'])]));
tieRows.push(Object.fromEntries([['id', 'unanswered'], ...goals.map((g, j) => [g, j === 5 ? '' : '3'])]));
const tieFile = path.join(work, 'ties.csv');
writeCsv(tieFile, ['id', ...goals], tieRows);

// what classify says, and the pages
const cases = [
  { model: 'listwise', lang: 'de', survey: surveyFile },
  { model: 'listwise', lang: 'en', survey: surveyFile, every: 7 },
  { model: 'mean', lang: 'de', survey: surveyFile },
  { model: 'tie', lang: 'de', survey: tieFile },
];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') { errors.push(m.text()); } });
page.on('pageerror', (e) => errors.push(String(e)));
let network = 0;
await page.route('**/*', (route) => {
  if (route.request().url().startsWith('file:')) { return route.continue(); }
  network++;
  return route.abort();
});

let compared = 0, ties = 0, unanswered = 0;
for (const c of cases) {
  const html = path.join(work, `${c.model}-${c.lang}.html`);
  run('selfcheck', models[c.model], '--lang', c.lang, '--out', html);
  const classified = path.join(work, `${c.model}-classified.csv`);
  run('classify', models[c.model], c.survey, '--out', classified);
  const want = Object.fromEntries(readCsv(classified).map((r) => [r.id, r.type]));
  const rows = readCsv(c.survey).filter((_, i) => i % (c.every || 1) === 0);
  const url = pathToFileURL(html).href;
  for (const r of rows) {
    const params = new URLSearchParams();
    let missing = false;
    for (const g of goals) {
      const v = r[g];
      if (v === '' || v === '-9') { missing = true; } else { params.set(g, v); }
    }
    await page.goto(`${url}?${params}`);
    const got = await page.getAttribute('#result', 'data-type');
    const state = await page.getAttribute('#result', 'data-state');
    expect(got === want[r.id], `${c.model}/${c.lang} ${r.id}: the page says '${got}' (${state}), classify '${want[r.id]}'`);
    if (missing) {
      unanswered++;
      if (c.model !== 'mean') {
        expect(['incomplete', 'empty'].includes(state), `${c.model} ${r.id}: an unanswered goal gives state ${state}`);
      }
    }
    if (r.id.startsWith('tie-')) { ties++; }
    compared++;
  }
  // a sample by filling in the form (change events), as a person would
  await page.goto(url);
  for (const r of rows.filter((_, i) => i % 40 === 0)) {
    await page.click('#reset');
    for (const g of goals) {
      const v = r[g] === '-9' ? '' : r[g];
      await page.check(`input[name="${g}"][value="${v}"]`);
    }
    const got = await page.getAttribute('#result', 'data-type');
    expect(got === want[r.id], `${c.model}/${c.lang} form ${r.id}: the page says '${got}', classify '${want[r.id]}'`);
    compared++;
  }
}

// submitting the form puts the ratings into the address (a bookmarkable result)
const html = path.join(work, 'listwise-de.html');
await page.goto(pathToFileURL(html).href);
const first = readCsv(surveyFile).find((r) => goals.every((g) => r[g] !== '' && r[g] !== '-9'));
for (const g of goals) { await page.check(`input[name="${g}"][value="${first[g]}"]`); }
await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
const address = new URL(page.url());
expect(goals.every((g) => address.searchParams.get(g) === first[g]), `the address after submitting holds the ratings: ${page.url()}`);
expect((await page.getAttribute('#result', 'data-state')) === 'assigned', 'the bookmarked address shows the result');
// a value that is not a code is refused, not guessed
await page.goto(`${pathToFileURL(html).href}?${goals.map((g, j) => `${g}=${j === 0 ? 7 : 3}`).join('&')}`);
expect((await page.getAttribute('#result', 'data-state')) === 'invalid', 'a rating of 7 is invalid');
// printed
await page.goto(`${pathToFileURL(html).href}?${goals.map((g) => `${g}=4`).join('&')}`);
const pdf = await page.pdf({ format: 'A4' });
expect(pdf.length > 10000, `the page prints (${pdf.length} bytes of PDF)`);
// with --survey (and a model with resamples): the page lists the nearest surveyed municipalities
// as position --survey lists them for the same ratings (identifiers in order, distances), and
// their certainty as classify counts it
const certainDir = path.join(work, 'certain');
run('cluster', surveyFile, '--out', certainDir, '--n-init', '10', '--certainty');
const certainModel = path.join(certainDir, 'model.json');
const surveyedHtml = path.join(work, 'surveyed-en.html');
run('selfcheck', certainModel, '--lang', 'en', '--survey', surveyFile, '--out', surveyedHtml);
const certainClassified = path.join(work, 'certain-classified.csv');
run('classify', certainModel, surveyFile, '--out', certainClassified);
const certaintyOf = Object.fromEntries(readCsv(certainClassified).map((r) => [r.id, r.certainty]));
let nearestCompared = 0;
const complete = (r) => goals.every((g) => r[g] !== '' && r[g] !== '-9');
for (const r of readCsv(surveyFile).filter((x, i) => i % 25 === 0 && complete(x))) {
  const ratings = goals.flatMap((g) => ['--rating', `${g}=${r[g]}`]);
  const text = execFileSync(bin, ['--lang', 'en', 'position', certainModel, ...ratings, '--survey', surveyFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const block = text.split(/\n\s*\n/).find((b) => /^Nearest/.test(b.trim()));
  const want = (block || '').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/)).map((w) => [w[0], w[w.length - 1]]);
  await page.goto(`${pathToFileURL(surveyedHtml).href}?${new URLSearchParams(goals.map((g) => [g, r[g]]))}`);
  const got = await page.$$eval('table.nearest tr[data-id]', (rows) => rows.map((tr) => [tr.dataset.id, tr.children[2].textContent, tr.children[3].textContent]));
  expect(want.length === 5 && JSON.stringify(got.map((g) => g.slice(0, 2))) === JSON.stringify(want),
    `${r.id}: the page lists ${JSON.stringify(got)}, position --survey ${JSON.stringify(want)}`);
  for (const [id, , said] of got) {
    const share = Number(certaintyOf[id]);
    expect(said === `in ${Math.round(share * 100)} of 100`, `${id}: the page says certainty '${said}', classify ${certaintyOf[id]}`);
  }
  nearestCompared++;
}
expect(nearestCompared >= 10, `nearest lists compared: ${nearestCompared}`);
await browser.close();

expect(errors.length === 0, `console errors: ${errors.join(' | ')}`);
expect(network === 0, `${network} requests left the disk`);
expect(ties >= patterns.length, `tie vectors compared: ${ties}`);
expect(unanswered > 0, 'vectors with an unanswered goal compared');
if (failures.length) {
  console.error(failures.slice(0, 30).join('\n'));
  console.error(`${failures.length} problems`);
  process.exit(1);
}
console.log(`self-check page: ${compared} rating vectors give classify's type (${ties} exactly on a tie, ${unanswered} with an unanswered goal), ${nearestCompared} nearest-municipality lists equal position --survey's, no network, prints`);
