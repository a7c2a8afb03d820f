// After `vite build`: stamp the build id, check the size budget, precompress, and write the manifest the gateway
// serves from. Fails the build (exit 1) when the first load's JS + CSS exceed the spec's 200 KB gzipped.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'target/classes/META-INF/monkeytown-frontend');
const BUDGET = Number(process.env.MONKEYTOWN_BUNDLE_BUDGET ?? 200 * 1024);
const COMPRESSIBLE = /\.(html|js|css|json|svg|txt|map)$/;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
const urlOf = (file) => '/' + relative(out, file).split(sep).join('/');

// 1. the build id: a digest of everything the build produced, so any change of code, style or asset changes it
const files = walk(out).filter((f) => !/\.(gz|br)$/.test(f) && !f.endsWith('manifest.json') && !f.endsWith('version.json'));
const digest = createHash('sha256');
for (const file of files.sort()) digest.update(urlOf(file)).update('\0').update(readFileSync(file));
const build = digest.digest('hex').slice(0, 16);

const indexFile = join(out, 'index.html');
let html = readFileSync(indexFile, 'utf8');
html = html.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    <meta name="monkeytown-build" content="${build}" />`);
writeFileSync(indexFile, html);
writeFileSync(join(out, 'version.json'), JSON.stringify({ build }) + '\n');

// 2. the budget: every script and stylesheet index.html makes the browser load on the first visit
const firstLoad = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const sizes = firstLoad.map((url) => {
  const bytes = readFileSync(join(out, url));
  return { url, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
const report = { build, budgetBytes: BUDGET, firstLoadGzipBytes: total, files: sizes };
writeFileSync(join(root, 'target/bundle-size.json'), JSON.stringify(report, null, 2) + '\n');
for (const s of sizes) console.log(`  ${s.url}  ${(s.raw / 1024).toFixed(1)} KB, ${(s.gzip / 1024).toFixed(1)} KB gzipped`);
console.log(`First load: ${(total / 1024).toFixed(1)} KB gzipped of ${(BUDGET / 1024).toFixed(0)} KB allowed (build ${build})`);
if (firstLoad.length === 0) {
  console.error('postbuild: index.html loads no /assets script or stylesheet; the budget check would be meaningless');
  process.exit(1);
}
if (total > BUDGET) {
  console.error(`postbuild: the first load is ${total} bytes gzipped, over the ${BUDGET}-byte budget (spec: < 200 KB)`);
  process.exit(1);
}

// 3. precompress once here, so the gateway spends no CPU per request and serves the best encoding the client takes
const manifest = { build, routes: JSON.parse(readFileSync(join(root, 'src/routes.json'), 'utf8')).prefixes, files: [] };
for (const file of [...files, join(out, 'version.json')].sort()) {
  const entry = { path: urlOf(file), encodings: [] };
  if (COMPRESSIBLE.test(file)) {
    const bytes = readFileSync(file);
    const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    const gz = gzipSync(bytes, { level: 9 });
    if (br.length < bytes.length) {
      writeFileSync(file + '.br', br);
      entry.encodings.push('br');
    }
    if (gz.length < bytes.length) {
      writeFileSync(file + '.gz', gz);
      entry.encodings.push('gzip');
    }
  }
  manifest.files.push(entry);
}
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
