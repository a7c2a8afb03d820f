// The system Chromium (Debian's `chromium`), never a downloaded browser, with the flags a shared CI machine needs.
import { chromium } from 'playwright-core';

export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const CHROME_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launch() {
  return chromium.launch({ executablePath: CHROME_PATH, headless: true, args: CHROME_FLAGS });
}

/** Where the suite under test is, and the operator token ./monkeytown generated for it. */
export async function suite() {
  const base = process.env.MONKEYTOWN_URL ?? 'http://localhost:8080';
  const { readFileSync } = await import('node:fs');
  const home = process.env.MONKEYTOWN_HOME ?? new URL('../../.monkeytown', import.meta.url).pathname;
  const token = process.env.MONKEYTOWN_TOKEN ?? readFileSync(`${home}/token`, 'utf8').trim();
  return { base, token };
}
