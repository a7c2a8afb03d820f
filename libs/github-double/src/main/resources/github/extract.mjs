// Extracts the slice of GitHub's published API descriptions that the double implements, so the module vendors a few
// hundred kilobytes instead of the ~385 MB npm package. Run from a scratch dir outside the repository:
//   mkdir -p /tmp/octo && cd /tmp/octo && npm install @octokit/openapi @octokit/graphql-schema @octokit/fixtures @octokit/webhooks-examples
//   node <repo>/libs/github-double/src/main/resources/github/extract.mjs /tmp/octo/node_modules <repo>/libs/github-double/src/main/resources/github
// Naming parts (rest, graphql, webhooks) after the output dir regenerates only those, so refreshing the GraphQL subset
// needs only @octokit/graphql-schema installed.
// Add a route to ROUTES (and its handler to the double) when a client starts using it; a GraphQL field to
// GRAPHQL_FIELDS (and its data fetcher to the double) likewise.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, out, ...only] = process.argv.slice(2);
if (!modules || !out) {
  console.error("usage: node extract.mjs <node_modules> <output dir> [rest] [graphql] [webhooks]");
  process.exit(2);
}
const wanted = (part) => only.length === 0 || only.includes(part);

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
  "/repos/{owner}/{repo}/compare/{basehead}": ["get"],
  "/repos/{owner}/{repo}/contents/{path}": ["get"],
  "/repos/{owner}/{repo}/actions/workflows": ["get"],
  "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches": ["post"],
  "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs": ["get"],
  "/repos/{owner}/{repo}/actions/runs/{run_id}": ["get"],
  "/repos/{owner}/{repo}/actions/runs/{run_id}/cancel": ["post"],
  "/repos/{owner}/{repo}/issues": ["get", "post"],
  "/repos/{owner}/{repo}/issues/{issue_number}": ["get", "patch"],
  "/repos/{owner}/{repo}/issues/{issue_number}/comments": ["post"],
  // deployments are created by Actions (a job naming an environment); clients only read them
  "/repos/{owner}/{repo}/deployments": ["get"],
  "/repos/{owner}/{repo}/deployments/{deployment_id}": ["get"],
  "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses": ["get"],
};

// Slices vendored in files of their own (rest-api.<name>.json), each with the components its routes reference, so an
// API area added to the double brings its own description without touching rest-api.json. The double validates
// against rest-api.json and every slice (RestApiDescription.SLICES).
const SLICES = {
  // commit statuses (build-service's monkeytown/build/<pipeline>)
  "statuses": {
    "/repos/{owner}/{repo}/statuses/{sha}": ["post"],
  },
  // a workflow run's artifacts and their download (build-service copies them into artifact-service)
  "actions-artifacts": {
    "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts": ["get"],
    "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}": ["get"],
  },
  // re-running a build attempt's failed jobs, and reading one attempt of a run (build-service's retries)
  "actions-reruns": {
    "/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs": ["post"],
    "/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}": ["get"],
  },
  // the jobs of one attempt of a run, read once when a build's run concluded failure: a failed job none of whose
  // steps failed lost its runner (build-service classes that infra, not build)
  "actions-jobs": {
    "/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs": ["get"],
  },
};

// Webhook payload examples the double's builders start from (@octokit/webhooks-examples, index of api.github.com):
// [event name, index into that event's examples, file written under webhooks/]. There is no in_progress example;
// the double derives it from the requested one.
const WEBHOOK_EXAMPLES = [
  ["workflow_run", 3, "workflow_run.requested.json"],
  ["workflow_run", 1, "workflow_run.completed.json"],
  ["push", 4, "push.json"],
  // the examples GitHub Actions made (they carry workflow_run): a deployment and its in_progress status
  ["deployment", 1, "deployment.created.json"],
  ["deployment_status", 1, "deployment_status.created.json"],
];

// The GraphQL subset: for each object type or interface, the fields the double serves. Every argument of a kept field,
// and every input type, enum and scalar reachable from them, is kept whole. The result must be a valid schema on its own (checked below), since the double validates every
// document against it.
const GIT_OBJECT = ["abbreviatedOid", "commitResourcePath", "commitUrl", "id", "oid", "repository"];
const CONNECTION = ["edges", "nodes", "pageInfo", "totalCount"];
const GRAPHQL_FIELDS = {
  Query: ["repository"],
  Mutation: ["createCommitOnBranch"],
  Node: ["id"],
  Repository: ["defaultBranchRef", "id", "name", "nameWithOwner", "object", "ref"],
  Ref: ["id", "name", "prefix", "repository", "target"],
  GitObject: GIT_OBJECT,
  Blob: [...GIT_OBJECT, "byteSize", "isBinary", "isTruncated", "text"],
  Tree: [...GIT_OBJECT, "entries"],
  TreeEntry: ["extension", "mode", "name", "object", "oid", "path", "repository", "size", "type"],
  Commit: [...GIT_OBJECT, "author", "authoredDate", "committedDate", "committer", "history", "message", "messageBody",
    "messageHeadline", "parents", "tree", "url"],
  GitActor: ["date", "email", "name"],
  CommitHistoryConnection: CONNECTION,
  CommitConnection: CONNECTION,
  CommitEdge: ["cursor", "node"],
  PageInfo: ["endCursor", "hasNextPage", "hasPreviousPage", "startCursor"],
  CreateCommitOnBranchPayload: ["clientMutationId", "commit", "ref"],
};

const readJson = (p) => JSON.parse(readFileSync(p, "utf8"));
const pkgVersion = (name) => readJson(join(modules, name, "package.json")).version;

// --- OpenAPI: the chosen operations plus every component they reference, transitively; examples dropped.
function extractRest() {
  const api = readJson(join(modules, "@octokit/openapi/generated/api.github.com.json"));
  const done = [extractRoutes(api, ROUTES, "rest-api.json")];
  for (const [name, routes] of Object.entries(SLICES)) done.push(extractRoutes(api, routes, `rest-api.${name}.json`));
  return done.join("; ");
}

function extractRoutes(api, ROUTES, file) {
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
writeFileSync(join(out, file), JSON.stringify(picked, null, 1) + "\n");
return `${file}: paths: ${Object.keys(picked.paths).length}, components: ${seen.size}`;
}

// --- GraphQL: a self-contained schema holding only GRAPHQL_FIELDS and what they need, checked valid by graphql-js.
async function extractGraphQl() {
  const graphql = await import(pathToFileURL(join(modules, "graphql/index.mjs")).href);
  const { Kind } = graphql;
  const full = graphql.parse(readFileSync(join(modules, "@octokit/graphql-schema/schema.graphql"), "utf8"));
  const definitions = new Map(full.definitions.filter((d) => d.name).map((d) => [d.name.value, d]));
  const BUILT_IN = new Set(["String", "Int", "Float", "Boolean", "ID"]);
  const namedType = (t) => (t.kind === Kind.NAMED_TYPE ? t.name.value : namedType(t.type));
  // @deprecated is part of GraphQL; GitHub's own directives (@requiredCapabilities, @possibleTypes, @preview) are not
  // needed to validate documents, so their uses go rather than their definitions coming along.
  const keepDirectives = (node) => ({ ...node, directives: (node.directives ?? []).filter((d) => d.name.value === "deprecated") });
  const kept = new Map();
  const pending = Object.keys(GRAPHQL_FIELDS);
  while (pending.length) {
    const name = pending.pop();
    if (kept.has(name) || BUILT_IN.has(name)) continue;
    const def = definitions.get(name);
    if (!def) throw new Error(`missing GraphQL type ${name}`);
    let copy = keepDirectives(def);
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      const fields = GRAPHQL_FIELDS[name];
      if (!fields) throw new Error(`GraphQL type ${name} is reachable from the subset; list the fields to keep in GRAPHQL_FIELDS`);
      const byName = new Map(def.fields.map((f) => [f.name.value, f]));
      copy = {
        ...copy,
        // an interface stays on a type only if it is in the subset and the type keeps all of its fields
      interfaces: (def.interfaces ?? []).filter((i) => GRAPHQL_FIELDS[i.name.value]?.every((f) => fields.includes(f))),
        fields: fields.map((f) => {
          const field = byName.get(f);
          if (!field) throw new Error(`missing GraphQL field ${name}.${f}`);
          return { ...keepDirectives(field), arguments: (field.arguments ?? []).map(keepDirectives) };
        }),
      };
      for (const field of copy.fields) {
        pending.push(namedType(field.type));
        field.arguments.forEach((a) => pending.push(namedType(a.type)));
      }
    } else if (def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      copy = { ...copy, fields: def.fields.map(keepDirectives) };
      copy.fields.forEach((f) => pending.push(namedType(f.type)));
    } else if (def.kind === Kind.ENUM_TYPE_DEFINITION) {
      copy = { ...copy, values: def.values.map(keepDirectives) };
    } else if (def.kind !== Kind.SCALAR_TYPE_DEFINITION) {
      throw new Error(`GraphQL type ${name} is a ${def.kind}; teach extract.mjs to cut it down`);
    }
    kept.set(name, copy);
}
const subset = { kind: Kind.DOCUMENT, definitions: [...kept.keys()].sort().map((n) => kept.get(n)) };
const problems = graphql.validateSchema(graphql.buildASTSchema(subset));
if (problems.length) throw new Error(`GraphQL subset is not a valid schema: ${problems.map((p) => p.message).join("; ")}`);
const header = `# Extracted from @octokit/graphql-schema@${pkgVersion("@octokit/graphql-schema")} by extract.mjs; do not edit.\n`
  + `# Only the fields in extract.mjs's GRAPHQL_FIELDS, with everything they reference.\n`;
writeFileSync(join(out, "graphql-schema.graphql"), header + "\n" + graphql.print(subset) + "\n");
return `graphql types: ${kept.size}`;
}

// --- Webhook payload examples, verbatim.
function extractWebhooks() {
  const hooks = readJson(join(modules, "@octokit/webhooks-examples/api.github.com/index.json"));
  mkdirSync(join(out, "webhooks"), { recursive: true });
  for (const [event, index, file] of WEBHOOK_EXAMPLES) {
    const example = hooks.find((h) => h.name === event)?.examples?.[index];
    if (!example) throw new Error(`missing webhook example ${event}[${index}]`);
    writeFileSync(join(out, "webhooks", file), JSON.stringify(example, null, 1) + "\n");
}
return `webhooks: ${WEBHOOK_EXAMPLES.length} from @octokit/webhooks-examples@${pkgVersion("@octokit/webhooks-examples")}`;
}

const done = [];
if (wanted("rest")) done.push(extractRest());
if (wanted("graphql")) done.push(await extractGraphQl());
if (wanted("webhooks")) done.push(extractWebhooks());
console.log(done.join(", "));
