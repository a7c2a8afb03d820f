#!/usr/bin/env bash
# Reverts a state branch to its last good commit, as a new commit: the spec's "Data corruption — revert to last good".
#
#   ops/revert-state.sh --repo DIR --branch monkeytown/state/<service> --to <good commit> --reason "why"
#
# The new commit's tree is <good>'s and its parent the branch's head, so the history keeps the bad write and its revert
# (and a GitHub push of it is a fast-forward). The branch moves only if nobody moved it meanwhile. Stop the service that
# owns the branch first: a running one would keep its view of the bad state, and the revert also rewinds its writer
# fence. Everything written after <good> is reverted with it. See docs/operations.md, "Backups and recovery".
set -euo pipefail

die() { printf 'revert-state: %s\n' "$*" >&2; exit 1; }

repo="" branch="" good="" reason=""
while [ $# -gt 0 ]; do
  case "$1" in
    --repo) repo=${2:?}; shift 2 ;;
    --branch) branch=${2:?}; shift 2 ;;
    --to) good=${2:?}; shift 2 ;;
    --reason) reason=${2:?}; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
{ [ -n "$repo" ] && [ -n "$branch" ] && [ -n "$good" ] && [ -n "$reason" ]; } \
  || die "needs --repo DIR --branch NAME --to COMMIT --reason TEXT"

head=$(git -C "$repo" rev-parse -q --verify "refs/heads/$branch^{commit}") || die "no branch $branch in $repo"
good=$(git -C "$repo" rev-parse -q --verify "$good^{commit}") || die "$good is not a commit in $repo"
git -C "$repo" merge-base --is-ancestor "$good" "$head" || die "$good is not in the history of $branch"
[ "$good" != "$head" ] || die "$branch is at $good already"

tree=$(git -C "$repo" rev-parse "$good^{tree}")
reverted=$(git -C "$repo" rev-list --count "$good..$head")
message=$(printf 'revert to last good %s: %s\n\nReverts %s commit(s), %s..%s.\n\nMonkeytown-Revert-To: %s\n' \
  "${good:0:12}" "$reason" "$reverted" "${good:0:12}" "${head:0:12}" "$good")
commit=$(GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-operator} GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-operator@monkeytown.invalid} \
  GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-operator} GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-operator@monkeytown.invalid} \
  git -C "$repo" commit-tree "$tree" -p "$head" -m "$message")
# compare-and-swap: fails if the branch moved since $head was read
git -C "$repo" update-ref -m "revert-state: $reason" "refs/heads/$branch" "$commit" "$head" \
  || die "$branch moved while reverting; is its service still running?"
printf 'reverted %s to %s (%s commit(s) undone): new head %s\n' "$branch" "${good:0:12}" "$reverted" "${commit:0:12}"

# A reverted artifact branch can name blobs collected since: say so rather than leave it to a failed pull. A dry run:
# a plain fsck would also move damaged objects out of the live store.
if git lfs version >/dev/null 2>&1 && ! git -C "$repo" lfs fsck --dry-run --objects "refs/heads/$branch" >/dev/null 2>&1; then
  printf 'revert-state: warning: %s now names Git LFS objects that are missing or damaged (collected since %s?); see\n' \
    "$branch" "${good:0:12}" >&2
  printf '  git -C %s lfs fsck --dry-run --objects %s\n' "$repo" "$branch" >&2
fi
