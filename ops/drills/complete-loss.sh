#!/usr/bin/env bash
# Disaster-recovery drill "complete loss" (spec: RTO 24 h, RPO 24 h, restore from backup), run for real on this machine.
#
#   ops/drills/complete-loss.sh          (needs the services built: ./monkeytown build; and git-lfs, jq, curl)
#
# 1. Starts the suite on a throwaway data directory and gives it history: an agent run, a `site` build whose outputs
#    land in artifact-service (Git LFS objects), and the staging deployment that build triggers.
# 2. Backs the repository up (`./monkeytown backup`), then queues one more run: the work a real loss would lose.
# 3. The loss: every service SIGKILLed and the repository deleted.
# 4. Recovery as docs/operations.md says: `./monkeytown restore <set>` and `./monkeytown up`.
# 5. Checks the restored suite answers what it answered at the backup — the same runs, builds (with their output
#    digests) and deployments; every artifact blob pulls and hashes to its digest — that the run queued after the
#    backup is gone (the RPO made visible), and that the suite works: a new run succeeds.
# Prints measured RTO (loss → every service ready on the restored data) and RPO (backup → loss) against the spec's
# table, and writes them to $DRILL_REPORT if set. Exits non-zero if any check fails.
#
# Environment: DRILL_HOME (default: a new temp folder, removed at the end), DRILL_PORT_BASE (default 18380).
set -euo pipefail

DRILL_PORT_BASE_DEFAULT=18380
# shellcheck source=ops/drills/drill-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/drill-lib.sh"

say "starting the suite on $MONKEYTOWN_HOME (ports from $MONKEYTOWN_PORT_BASE)"
start_suite up-1

say "giving it history: a run, a site build with outputs, the staging deployment it triggers"
first_run=$(queue_run)
build=$(api POST /api/v1/pipelines/site/builds '{}' | jq -r .id)
wait_for "/api/v1/runs/$first_run" '.state == "succeeded"'
wait_for "/api/v1/builds/$build" '.state == "succeeded"' 180
wait_for "/api/v1/deployments?environment=staging" \
  "[.deployments[] | select(.state == \"success\" and .sha == \"$(api GET "/api/v1/builds/$build" | jq -r .sha)\")] | length > 0" 180
digests=$(api GET "/api/v1/builds/$build" | jq -r '.outputs[].digest')
[ -n "$digests" ] || fail "the site build recorded no outputs"
artifact=$(api GET "/api/v1/builds/$build" | jq -r '.artifact.repository // "builds/site"')
before=$(snapshot)

say "backing up"
backup_started=$(now_ms)
"$MONKEYTOWN" backup --out "$WORK/backups" --keep 2 >"$WORK/backup.log" 2>&1 || { cat "$WORK/backup.log" >&2; fail "backup failed"; }
backup_done=$(now_ms)
set_dir=$(find "$WORK/backups" -mindepth 1 -maxdepth 1 -type d -name 'monkeytown-*' | sort | tail -n 1)
[ -n "$set_dir" ] || fail "no backup set was written"

lost_run=$(queue_run)
wait_for "/api/v1/runs/$lost_run" '.state == "succeeded"'

say "the loss: every service SIGKILLed, the repository deleted"
for pidfile in "$MONKEYTOWN_HOME"/run/*.pid; do kill -KILL "$(cat "$pidfile")" 2>/dev/null || true; done
loss=$(now_ms)
rm -rf "$MONKEYTOWN_HOME/repo"
"$MONKEYTOWN" down >/dev/null 2>&1 || true

say "recovering: restore, then up"
"$MONKEYTOWN" restore "$set_dir" >"$WORK/restore.log" 2>&1 || { cat "$WORK/restore.log" >&2; fail "restore failed"; }
restored=$(now_ms)
restored_at=$(date -u +%Y-%m-%dT%H:%M:%S)
start_suite up-2
ready=$(now_ms)

say "checking the restored suite"
after=$(snapshot)
if jq -e --arg id "$lost_run" 'any(.runs[]; .id == $id)' <<<"$after" >/dev/null; then
  fail "the run queued after the backup ($lost_run) survived the loss: the drill did not lose what it meant to"
fi
differences=$(compare "$before" "$after" "$restored_at")
if [ "$differences" != "[]" ]; then
  jq . <<<"$differences" >&2
  fail "the restored suite does not answer what it answered at the backup"
fi
for digest in $digests; do
  got=$(curl -fsS -u "monkeytown:$TOKEN" "$GATEWAY/v2/$artifact/blobs/$digest" | sha256sum | cut -d' ' -f1) \
    || fail "blob $digest of $artifact could not be pulled after the restore"
  [ "sha256:$got" = "$digest" ] || fail "blob $digest of $artifact came back as sha256:$got"
done
next_run=$(queue_run)
wait_for "/api/v1/runs/$next_run" '.state == "succeeded"'

rto=$((ready - loss))
rpo=$((loss - backup_done))
report=$(cat <<EOF
complete loss drill ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores)
  backup: $((backup_done - backup_started)) ms, $(sed -n 's/^refs: //p' "$set_dir/MANIFEST") refs, $(sed -n 's/^lfs-objects: //p' "$set_dir/MANIFEST") LFS objects, $(du -sk "$set_dir" | cut -f1) KiB
  RTO measured: $rto ms (restore $((restored - loss)) ms, start to all ready $((ready - restored)) ms); spec: 24 h
  RPO measured: $rpo ms between the backup and the loss (lost: run $lost_run); spec: 24 h, so back up at least daily
  checked: runs, builds with output digests and deployments identical to the backup; $(wc -w <<<"$digests") blobs pulled and hashed; a new run succeeded
EOF
)
printf '%s\n' "$report"
if [ -n "${DRILL_REPORT:-}" ]; then printf '%s\n' "$report" >"$DRILL_REPORT"; fi
