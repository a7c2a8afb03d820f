#!/usr/bin/env bash
# Disaster-recovery drill "data corruption" (spec: RTO 1 h, RPO 1 h, revert to last good), run for real on this machine.
#
#   ops/drills/data-corruption.sh        (needs the services built: ./monkeytown build; and jq, curl, git)
#
# 1. Starts the suite on a throwaway data directory with two builds on record (the last good state of build-service).
# 2. The corruption: a bad write lands on monkeytown/state/build-service — one build record and the pipeline's streak
#    overwritten with bytes that are not JSON (what a buggy release or a hand edit gone wrong leaves).
# 3. The suite restarts on it (as it would at the next deploy): build-service must keep serving every other build and
#    name the unreadable record in its log — not lose its history or stop.
# 4. Recovery as docs/operations.md says: down, ops/revert-state.sh to the last good commit, up.
# 5. Checks every build answers as before the corruption, and builds still run.
# Prints measured RTO (the bad write found → the suite ready on the reverted branch) and RPO (the writes undone) against
# the spec's table, and writes them to $DRILL_REPORT if set. Exits non-zero if any check fails.
#
# Environment: DRILL_HOME (default: a new temp folder, removed at the end), DRILL_PORT_BASE (default 18680).
set -euo pipefail

DRILL_PORT_BASE_DEFAULT=18680
# shellcheck source=ops/drills/drill-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/drill-lib.sh"

BRANCH=monkeytown/state/build-service
REPO="$MONKEYTOWN_HOME/repo"
# The builds and each pipeline's streaks (the drill corrupts one of those too).
builds_seen() {
  jq -n -c --argjson builds "$(api GET '/api/v1/builds?limit=200' | jq -c '[.builds[] | {id, pipeline, sha, state, outputs}] | sort_by(.id)')" \
    --argjson pipelines "$(api GET '/api/v1/pipelines' | jq -c '[.[] | {name, streak, held, branches}] | sort_by(.name)')" \
    '{builds: $builds, pipelines: $pipelines}'
}

say "starting the suite on $MONKEYTOWN_HOME (ports from $MONKEYTOWN_PORT_BASE)"
start_suite up-1

say "two builds on record"
first=$(api POST /api/v1/pipelines/site/builds '{}' | jq -r .id)
wait_for "/api/v1/builds/$first" '.state == "succeeded"' 180
second=$(api POST /api/v1/pipelines/checks/builds '{}' | jq -r .id)
wait_for "/api/v1/builds/$second" '.state | IN("succeeded", "failed", "timed_out")' 180
# Quiet: nothing in flight, so the branch head is the last good state.
wait_for '/api/v1/builds?limit=200' '[.builds[] | select(.state | IN("queued", "dispatched", "running", "retrying"))] | length == 0'
good=$(git -C "$REPO" rev-parse "refs/heads/$BRANCH")
good_at=$(git -C "$REPO" log -1 --format=%ct "$good")
before=$(builds_seen)

say "the corruption: a bad write on $BRANCH"
record=$(git -C "$REPO" ls-tree -r --name-only "$good" builds/ | grep -F "$first.json")
streak=$(git -C "$REPO" ls-tree -r --name-only "$good" streaks/ | head -n 1)
index="$WORK/corrupt.index"
GIT_INDEX_FILE=$index git -C "$REPO" read-tree "$good"
for path in "$record" $streak; do
  blob=$(printf '{"id": "%s", "state": ' "$first" | git -C "$REPO" hash-object -w --stdin)
  GIT_INDEX_FILE=$index git -C "$REPO" update-index --cacheinfo "100644,$blob,$path"
done
tree=$(GIT_INDEX_FILE=$index git -C "$REPO" write-tree)
bad=$(GIT_AUTHOR_NAME=bad-release GIT_AUTHOR_EMAIL=bad@monkeytown.invalid GIT_COMMITTER_NAME=bad-release \
  GIT_COMMITTER_EMAIL=bad@monkeytown.invalid git -C "$REPO" commit-tree "$tree" -p "$good" -m "a bad write")
git -C "$REPO" update-ref "refs/heads/$BRANCH" "$bad" "$good"
corrupted_at=$(date +%s)

say "the suite restarts on the corrupt branch"
"$MONKEYTOWN" down >/dev/null
start_suite up-2
found=$(now_ms)
poll_for '/api/v1/builds?limit=200' "[.builds[].id] | index(\"$second\") != null" 60 \
  || fail "one unreadable record hid the rest of the history"
grep -q "$record" "$MONKEYTOWN_HOME/logs/build-service.log" || fail "build-service did not name the unreadable record $record"
if api GET '/api/v1/builds?limit=200' | jq -e --arg id "$first" 'any(.builds[]; .id == $id)' >/dev/null; then
  fail "the corrupted build $first is still listed: the drill did not corrupt what it meant to"
fi

say "recovering: down, revert $BRANCH to ${good:0:12}, up"
"$MONKEYTOWN" down >/dev/null
"$ROOT/ops/revert-state.sh" --repo "$REPO" --branch "$BRANCH" --to "$good" --reason "drill: bad write" \
  >"$WORK/revert.log" 2>&1 || { cat "$WORK/revert.log" >&2; fail "the revert failed"; }
undone=$(git -C "$REPO" rev-list --count "$good..refs/heads/$BRANCH^")
start_suite up-3
ready=$(now_ms)

say "checking the reverted suite"
after=$(builds_seen)
if [ "$before" != "$after" ]; then
  diff <(jq . <<<"$before") <(jq . <<<"$after") >&2 || true
  fail "the builds and streaks after the revert are not those before the corruption"
fi
next=$(api POST /api/v1/pipelines/site/builds '{}' | jq -r .id)
wait_for "/api/v1/builds/$next" '.state == "succeeded"' 180

report=$(cat <<REPORT
data corruption drill ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores)
  corrupted: $record and $streak on $BRANCH; after a restart the other builds were still served and the record named in the log
  RTO measured: $((ready - found)) ms from the suite up on the bad write to the suite ready on the reverted branch (down, revert, up); spec: 1 h
  RPO measured: $((corrupted_at - good_at)) s of writes between the last good commit and the bad write ($undone commit(s) undone: the bad write and what the restart wrote on top of it); spec: 1 h
  checked: every build and every pipeline's streaks identical to before the corruption; a new build succeeded
REPORT
)
printf '%s\n' "$report"
if [ -n "${DRILL_REPORT:-}" ]; then printf '%s\n' "$report" >"$DRILL_REPORT"; fi
