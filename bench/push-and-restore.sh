#!/usr/bin/env bash
# Two latencies of the local suite that issues 14 and 15 ask to measure, each beside a reference taken in the same
# run so the ratio says what the mechanism adds:
#   - build-service: commit to main → build dispatched (the head poll finds the push), beside an operator's
#     POST /pipelines/app/builds → dispatched (no detection at all: the request is recorded, then dispatched);
#   - deploy-service: time to restore = a failed deployment's end → its revert serving the last good tree (health
#     passed), beside an ordinary deployment's request → success.
#
#   bench/push-and-restore.sh [rounds]    (default 5; needs the services built: ./monkeytown up builds them)
#
# One throwaway MONKEYTOWN_HOME whose repository declares one tiny pipeline and one environment that reverts on
# failure, ports from BENCH_PORT_BASE (default 18780). Every figure is read from the records' own timestamps
# (build: attempts[0].dispatchedAt; deployment: createdAt, finishedAt), not from polling, except the commit's
# instant, taken just before `git commit`, and the operator's, just before the POST.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${1:-5}
PORT_BASE=${BENCH_PORT_BASE:-18780}
HOME_DIR=$(mktemp -d)
export MONKEYTOWN_HOME=$HOME_DIR MONKEYTOWN_PORT_BASE=$PORT_BASE
trap '"$ROOT/monkeytown" down >/dev/null 2>&1 || true; rm -rf "$HOME_DIR"' EXIT

repo=$HOME_DIR/repo
git init -q -b main "$repo"
mkdir -p "$repo/.monkeytown"
printf 'good 0\n' >"$repo/version.txt"
cat >"$repo/.monkeytown/builds.yaml" <<'EOF'
pipelines:
  app:
    command: "mkdir -p out && cp version.txt out/version.txt"
    branches: ["main"]
    outputs: ["out/**"]
    retry: {limit: 0}
EOF
cat >"$repo/.monkeytown/environments.yaml" <<'EOF'
environments:
  stage:
    branch: main
    autoDeploy: true
    requires: [app]
    onFailure: revert
    command: cp "$MONKEYTOWN_ARTIFACTS"/app/out/version.txt "$MONKEYTOWN_ENVIRONMENT_DIR"/version.txt
    health: "! grep -q bad \"$MONKEYTOWN_ENVIRONMENT_DIR/version.txt\""
EOF
git -C "$repo" add -A
git -C "$repo" -c user.name=bench -c user.email=bench@localhost commit -q -m "Bench pipeline and environment"

"$ROOT/monkeytown" up >/dev/null
python3 - "$repo" "$HOME_DIR/token" "$PORT_BASE" "$ROUNDS" <<'EOF'
import json, subprocess, sys, time, urllib.request
from datetime import datetime

repo, token_file, port, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
token = open(token_file).read().strip()
api = f"http://localhost:{port}/api/v1"

def call(method, path, body=None):
    request = urllib.request.Request(api + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read() or b"null")

def at(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()

def until(what, probe, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = probe()
        if found is not None:
            return found
        time.sleep(0.1)
    sys.exit("timed out waiting for " + what + "; builds: " + json.dumps(call("GET", "/builds?limit=5"))[:2000]
             + "; deployments: " + json.dumps(call("GET", "/deployments?limit=5"))[:2000])

def commit(text):
    with open(repo + "/version.txt", "w") as f:
        f.write(text + "\n")
    subprocess.run(["git", "-C", repo, "add", "version.txt"], check=True)
    pushed = time.time()
    subprocess.run(["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q",
                    "-m", text], check=True)
    sha = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], check=True, capture_output=True,
                         text=True).stdout.strip()
    return sha, pushed

def dispatched(build_id):
    build = call("GET", "/builds/" + build_id)
    attempts = build.get("attempts") or []
    if attempts and attempts[0].get("dispatchedAt") and build["state"] in ("succeeded", "failed"):
        return build
    return None

def build_of(sha, trigger):
    builds = call("GET", "/builds?pipeline=app&limit=50")["builds"]
    return next((b["id"] for b in builds if b["sha"] == sha and b["trigger"] == trigger), None)

def deployments(**match):
    found = call("GET", "/deployments?environment=stage&limit=50")["deployments"]
    return [d for d in found if all(d.get(k) == v for k, v in match.items())]

def ended(deployment_id):
    d = call("GET", "/deployments/" + deployment_id)
    return d if d["state"] in ("success", "failure", "error") else None

push_ms, manual_ms, deploy_ms, restore_ms = [], [], [], []
for i in range(1, rounds + 1):
    # a push: detected by the head poll, queued, dispatched; then deployed automatically and healthy
    sha, pushed = commit(f"good {i}")
    build = until("push build", lambda: build_of(sha, "push"))
    record = until("push build dispatched", lambda: dispatched(build))
    push_ms.append((at(record["attempts"][0]["dispatchedAt"]) - pushed) * 1000)
    good = until("good deployment", lambda: next((d for d in deployments(sha=sha, kind="deploy")), None))
    good = until("good deployment ended", lambda: ended(good["id"]))
    assert good["state"] == "success", good
    deploy_ms.append((at(good["finishedAt"]) - at(good["createdAt"])) * 1000)

    # an operator's build of the same commit: no detection, only queue and dispatch
    asked = time.time()
    manual = call("POST", "/pipelines/app/builds", {"ref": "main"})["id"]
    record = until("manual build dispatched", lambda: dispatched(manual))
    manual_ms.append((at(record["attempts"][0]["dispatchedAt"]) - asked) * 1000)

    # a broken commit: deployed, health fails, reverted to the last good tree
    sha, _ = commit(f"bad {i}")
    bad = until("bad deployment", lambda: next((d for d in deployments(sha=sha, kind="deploy")), None))
    bad = until("bad deployment ended", lambda: ended(bad["id"]))
    assert bad["state"] == "failure", bad
    revert = until("revert", lambda: next((d for d in deployments(kind="revert", revertOf=bad["id"])), None))
    revert = until("revert ended", lambda: ended(revert["id"]))
    assert revert["state"] == "success", revert
    restore_ms.append((at(revert["finishedAt"]) - at(bad["finishedAt"])) * 1000)
    print(f"round {i}: push→dispatched {push_ms[-1]:.0f} ms, manual→dispatched {manual_ms[-1]:.0f} ms, "
          f"deploy {deploy_ms[-1]:.0f} ms, restore {restore_ms[-1]:.0f} ms", file=sys.stderr)

def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2

print(f"\n{rounds} rounds\n")
print("| measure | median ms | max ms | reference | reference median ms | ratio |")
print("|---|---:|---:|---|---:|---:|")
print(f"| commit to main → build dispatched | {median(push_ms):.0f} | {max(push_ms):.0f} | operator's build request → "
      f"dispatched | {median(manual_ms):.0f} | {median(push_ms) / max(median(manual_ms), 1):.1f}× |")
print(f"| time to restore: failed deployment ended → revert serving, healthy | {median(restore_ms):.0f} | "
      f"{max(restore_ms):.0f} | a deployment: requested → success | {median(deploy_ms):.0f} | "
      f"{median(restore_ms) / max(median(deploy_ms), 1):.1f}× |")
EOF
