// Lighthouse 12.2.3 on the dashboard served by the suite, in the system Chromium, with its mobile (default) and desktop
// settings. Fails (exit 1) when a gated score is below 90: every category on desktop, accessibility and best practices
// on mobile. Mobile performance is measured and reported, not gated: its simulated 4x CPU slowdown multiplies the
// host's own load, and on the shared 2-core machines this runs on the same build scores anywhere from 77 to 95
// (docs/benchmarks.md). Also measures first paint and FCP as a real, unthrottled load sees them. Writes the figures
// to $LIGHTHOUSE_OUT (default ../target/lighthouse.json) for docs/benchmarks.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { CHROME_FLAGS, CHROME_PATH, launch, suite } from './browser.mjs';

const MIN = Number(process.env.LIGHTHOUSE_MIN ?? 90);
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const out = process.env.LIGHTHOUSE_OUT ?? new URL('../target/lighthouse.json', import.meta.url).pathname;
const { base } = await suite();
const pages = (process.env.LIGHTHOUSE_PAGES ?? '/,/runs').split(',');

const chrome = await chromeLauncher.launch({ chromePath: CHROME_PATH, chromeFlags: ['--headless=new', ...CHROME_FLAGS] });
const results = [];
let failed = false;
try {
  for (const [formFactor, config, gated] of [
    ['desktop', desktopConfig, ['performance', 'accessibility', 'best-practices']],
    ['mobile', undefined, ['accessibility', 'best-practices']],
  ])
  for (const path of pages) {
    // the median of several runs, as Lighthouse's own guidance on variance advises: on a shared machine one run's
    // CPU-bound metrics swing by tens of points with the neighbours' load
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const { lhr } = await lighthouse(
        base + path,
        { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices'] },
        config,
      );
      runs.push(lhr);
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const score = (lhr, id) => Math.round(lhr.categories[id].score * 100);
    const categories = Object.keys(runs[0].categories);
    const scores = Object.fromEntries(categories.map((id) => [id, median(runs.map((lhr) => score(lhr, id)))]));
    const metric = (id) => median(runs.map((lhr) => Math.round(lhr.audits[id]?.numericValue ?? NaN)));
    const result = {
      page: path,
      runs: RUNS,
      formFactor,
      gated,
      throttling: runs[0].configSettings.throttlingMethod,
      scores,
      allScores: Object.fromEntries(categories.map((id) => [id, runs.map((lhr) => score(lhr, id))])),
      firstContentfulPaintMs: metric('first-contentful-paint'),
      largestContentfulPaintMs: metric('largest-contentful-paint'),
      timeToInteractiveMs: metric('interactive'),
      totalBlockingTimeMs: metric('total-blocking-time'),
      speedIndexMs: metric('speed-index'),
      benchmarkIndex: median(runs.map((lhr) => Math.round(lhr.environment.benchmarkIndex))),
      failedAudits: [
        ...new Set(
          runs.flatMap((lhr) =>
            Object.values(lhr.audits)
              .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
              .map((a) => a.id),
          ),
        ),
      ],
    };
    results.push(result);
    console.log(JSON.stringify(result));
    for (const [category, value] of Object.entries(scores)) {
      if (gated.includes(category) && value < MIN) {
        console.error(`lighthouse: ${formFactor} ${path} ${category} ${value} < ${MIN} (median of ${RUNS}: ${result.allScores[category]})`);
        failed = true;
      }
    }
  }
} finally {
  await chrome.kill();
}

// what an unthrottled load on this machine sees (Paint Timing API)
const browser = await launch();
const paints = [];
try {
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(base + '/', { waitUntil: 'load' });
    await page.getByText('Live', { exact: true }).waitFor();
    paints.push(
      await page.evaluate(() => {
        const entry = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
        const nav = performance.getEntriesByType('navigation')[0];
        return {
          firstPaintMs: Math.round(entry('first-paint')),
          firstContentfulPaintMs: Math.round(entry('first-contentful-paint')),
          domInteractiveMs: Math.round(nav.domInteractive),
          liveMs: Math.round(performance.now()),
        };
      }),
    );
    await context.close();
  }
} finally {
  await browser.close();
}
const median = (key) => paints.map((p) => p[key]).sort((a, b) => a - b)[Math.floor(paints.length / 2)];
const observed = Object.fromEntries(Object.keys(paints[0]).map((key) => [key, median(key)]));
console.log(JSON.stringify({ observedMedianOf5: observed }));

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ lighthouse: results, observedMedianOf5: observed }, null, 2) + '\n');
process.exit(failed ? 1 : 0);
