// The screenshot in docs/: the runs page with runs queued and in progress. Run by hand against a suite that is up:
//   node screenshot.mjs ../../docs/dashboard.png [width height]
import { launch, suite } from './browser.mjs';

const [out = 'dashboard.png', width = '1280', height = '860'] = process.argv.slice(2);
const { base, token } = await suite();
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
  await page.goto(base + '/runs');
  await page.getByText('Live', { exact: true }).waitFor();
  // one run at a time per agent: the first runs, the others wait in the queue
  for (let i = 0; i < 4; i++) {
    await fetch(`${base}/api/v1/agents/greeter/runs`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  }
  await page.locator('[data-state="queued"]').first().waitFor();
  await page.screenshot({ path: out, fullPage: false });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
