// Extracts the slice of GitHub's published API descriptions that the double implements, so the module vendors a few
// hundred kilobytes instead of the ~385 MB npm package. Run from a scratch dir outside the repository:
//   mkdir -p /tmp/octo && cd /tmp/octo && npm install @octokit/openapi @octokit/graphql-schema @octokit/fixtures @octokit/webhooks-examples
//   node <repo>/libs/github-double/src/main/resources/github/extract.mjs /tmp/octo/node_modules <repo>/libs/github-double/src/main/resources/github
// Add a route to ROUTES (and its handler to the double) when a client starts using it.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [modules, out] = process.argv.slice(2);
if (!modules || !out) {
  console.error("usage: node extract.mjs <node_modules> <output dir>");
  process.exit(2);
}

const ROUTES = {
  "/user": ["get"],
  "/rate_limit": ["get"],
  "/repos/{owner}/{repo}": ["get"],
  "/repos/{owner}/{repo}/git/ref/{ref}": ["get"],
  "/repos/{owner}/{repo}/git/refs": ["post"],
  "/repos/{owner}/{repo}/git/refs/{ref}": ["patch"],
  "/repos/{owner}/{repo}/git/trees": ["post"],
  "/repos/{owner}/{repo}/git/trees/{tree_sha}": ["get"],
  "/repos/{owner}/{repo}/git/blobs": ["post"],
  "/repos/{owner}/{repo}/git/blobs/{file_sha}": ["get"],
  "/repos/{owner}/{repo}/git/commits": ["post"],
  "/repos/{owner}/{repo}/git/commits/{commit_sha}": ["get"],
  "/repos/{owner}/{repo}/contents/{path}": ["get"],
  "/repos/{owner}/{repo}/actions/workflows": ["get"],
  "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches": ["post"],
  "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs": ["get"],
  "/repos/{owner}/{repo}/actions/runs/{run_id}": ["get"],
  "/repos/{owner}/{repo}/actions/runs/{run_id}/cancel": ["post"],
};

// Webhook payload examples the double's builders start from (@octokit/webhooks-examples, index of api.github.com):
// [event name, index into that event's examples, file written under webhooks/]. There is no in_progress example;
// the double derives it from the requested one.
const WEBHOOK_EXAMPLES = [
  ["workflow_run", 3, "workflow_run.requested.json"],
  ["workflow_run", 1, "workflow_run.completed.json"],
  ["push", 4, "push.json"],
];

const GRAPHQL_TYPES = [
  "CreateCommitOnBranchInput", "CommittableBranch", "FileChanges", "FileAddition", "FileDeletion", "CommitMessage",
  "CreateCommitOnBranchPayload",
];

const readJson = (p) => JSON.parse(readFileSync(p, "utf8"));
const pkgVersion = (name) => readJson(join(modules, name, "package.json")).version;

// --- OpenAPI: the chosen operations plus every component they reference, transitively; examples dropped.
const api = readJson(join(modules, "@octokit/openapi/generated/api.github.com.json"));
const picked = { openapi: api.openapi, info: { ...api.info, "x-extracted-from": `@octokit/openapi@${pkgVersion("@octokit/openapi")}` }, paths: {}, components: {} };
const pending = [];
const strip = (node) => {
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === "object") {
    const copy = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === "examples" || k === "example" || k === "x-github") continue;
      if (k === "$ref") pending.push(v);
      copy[k] = strip(v);
    }
    return copy;
  }
  return node;
};
for (const [path, methods] of Object.entries(ROUTES)) {
  const item = api.paths[path];
  if (!item) throw new Error(`missing path ${path}`);
  picked.paths[path] = {};
  for (const m of methods) {
    if (!item[m]) throw new Error(`missing ${m} ${path}`);
    picked.paths[path][m] = strip(item[m]);
  }
}
const seen = new Set();
while (pending.length) {
  const ref = pending.pop();
  if (seen.has(ref)) continue;
  seen.add(ref);
  const [, , kind, name] = ref.split("/"); // "#/components/<kind>/<name>"
  picked.components[kind] ??= {};
  picked.components[kind][name] = strip(api.components[kind][name]);
}
writeFileSync(join(out, "rest-api.json"), JSON.stringify(picked, null, 1) + "\n");

// --- GraphQL: the SDL blocks of createCommitOnBranch's input and payload types.
const sdl = readFileSync(join(modules, "@octokit/graphql-schema/schema.graphql"), "utf8");
const lines = sdl.split("\n");
const blocks = GRAPHQL_TYPES.map((type) => {
  const start = lines.findIndex((l) => l.startsWith(`input ${type} `) || l.startsWith(`type ${type} `));
  if (start < 0) throw new Error(`missing GraphQL type ${type}`);
  let from = start; // include the type's own docstring, which ends on the line just above it
  if (lines[start - 1] === '"""') {
    from = start - 2;
    while (lines[from] !== '"""') from--;
  }
  const end = lines.indexOf("}", start);
  return lines.slice(from, end + 1).join("\n");
});
const header = `# Extracted from @octokit/graphql-schema@${pkgVersion("@octokit/graphql-schema")} by extract.mjs; do not edit.\n`;
writeFileSync(join(out, "create-commit-on-branch.graphql"), header + "\n" + blocks.join("\n\n") + "\n");
// --- Webhook payload examples, verbatim.
const hooks = readJson(join(modules, "@octokit/webhooks-examples/api.github.com/index.json"));
mkdirSync(join(out, "webhooks"), { recursive: true });
for (const [event, index, file] of WEBHOOK_EXAMPLES) {
  const example = hooks.find((h) => h.name === event)?.examples?.[index];
  if (!example) throw new Error(`missing webhook example ${event}[${index}]`);
  writeFileSync(join(out, "webhooks", file), JSON.stringify(example, null, 1) + "\n");
}
const webhooksVersion = pkgVersion("@octokit/webhooks-examples");

console.log(`webhooks: ${WEBHOOK_EXAMPLES.length} from @octokit/webhooks-examples@${webhooksVersion}, paths: ${Object.keys(picked.paths).length}, components: ${seen.size}, graphql types: ${blocks.length}`);
