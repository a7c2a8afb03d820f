// `npm ci`, but only when package-lock.json changed since the last install: a clean install deletes node_modules and
// costs ~20 s, which every Maven build of the gateway would otherwise pay.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const lock = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
const stamp = join(root, 'node_modules', '.monkeytown-lock-sha256');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lock) {
  console.log('node_modules matches package-lock.json');
} else {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, lock);
}
