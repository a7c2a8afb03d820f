#!/usr/bin/env bash
# Backups of the Monkeytown repository: every branch and tag as a `git bundle`, plus the Git LFS objects (artifact
# blobs) as a tar archive, verified by restoring them; and restore into an empty repository.
#
#   ops/backup.sh create  --repo DIR --out DIR [--keep N]   back up DIR (a work tree or a Git directory) into a new
#                                                           set under --out; keep the N newest verified sets (default 7)
#   ops/backup.sh verify  SET                               restore SET into a scratch repository and check it
#   ops/backup.sh restore SET --into DIR                    restore SET into DIR, which must not exist or be empty
#
# A set is a folder monkeytown-<UTC time>/ holding repo.bundle, lfs.tar and MANIFEST (checksums, refs, objects). It is
# written as .partial-* and renamed only once verified, so a killed backup never looks complete.
#
# Why this order: branches first, LFS objects second. artifact-service stores a blob before it commits the pointer that
# names it, and collects an object only long after its last pointer is gone (gc.delay), so every pointer in the bundle
# has its object on disk when the objects are archived. Verification checks exactly that (git lfs fsck on every branch).
# Tokens and secrets are not state and are never backed up (docs/operations.md, "Backups").
set -euo pipefail

say() { printf '%s\n' "$*"; }
die() { printf 'backup: %s\n' "$*" >&2; exit 1; }

require() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || die "$tool is not on PATH"; done
  git lfs version >/dev/null 2>&1 || die "git-lfs is not installed (the artifact blobs are Git LFS objects)"
}

# Folders to remove however the script ends.
CLEANUP=()
cleanup() { if [ ${#CLEANUP[@]} -gt 0 ]; then rm -rf "${CLEANUP[@]}"; fi; }
trap cleanup EXIT

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# The Git directory of a work tree or of a bare repository.
git_dir_of() {
  local dir
  dir=$(git -C "$1" rev-parse --absolute-git-dir 2>/dev/null) || die "$1 is not a Git repository"
  printf '%s\n' "$dir"
}

cmd_create() {
  local repo="" out="" keep=7
  while [ $# -gt 0 ]; do
    case "$1" in
      --repo) repo=${2:?}; shift 2 ;;
      --out) out=${2:?}; shift 2 ;;
      --keep) keep=${2:?}; shift 2 ;;
      *) die "create: unknown argument $1" ;;
    esac
  done
  { [ -n "$repo" ] && [ -n "$out" ]; } || die "create needs --repo DIR and --out DIR"
  [[ "$keep" =~ ^[1-9][0-9]*$ ]] || die "--keep must be a whole number of at least 1"
  require git tar sha256sum
  local gitdir stamp partial
  gitdir=$(git_dir_of "$repo")
  mkdir -p "$out"
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  partial="$out/.partial-$stamp-$$"
  mkdir "$partial"
  CLEANUP+=("$partial")

  local started default_branch
  started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  default_branch=$(git --git-dir="$gitdir" symbolic-ref --short -q HEAD || echo main)
  # Branches and tags only: a mirror of GitHub also holds refs/pull/*, which are GitHub's, not ours.
  if ! git --git-dir="$gitdir" bundle create "$partial/repo.bundle" --branches --tags 2>"$partial/bundle.log"; then
    cat "$partial/bundle.log" >&2
    die "git bundle failed (an empty repository has nothing to back up)"
  fi
  rm -f "$partial/bundle.log"

  # GNU tar exits 1 when a file changed or vanished while it was read (an object collected meanwhile); what matters
  # is whether every pointer still has its object, which verify decides.
  local status=0
  if [ -d "$gitdir/lfs/objects" ]; then
    tar -C "$gitdir/lfs" -cf "$partial/lfs.tar" objects || status=$?
  else
    tar -cf "$partial/lfs.tar" -T /dev/null || status=$?
  fi
  [ "$status" -le 1 ] || die "archiving the LFS objects failed (tar exit $status)"

  {
    echo "format: monkeytown-backup/1"
    echo "created: $started"
    echo "source: $gitdir"
    echo "default-branch: $default_branch"
    echo "repo.bundle: $(sha256_of "$partial/repo.bundle")"
    echo "lfs.tar: $(sha256_of "$partial/lfs.tar")"
    echo "refs: $(git bundle list-heads "$partial/repo.bundle" | wc -l)"
    echo "lfs-objects: $(tar -tf "$partial/lfs.tar" | grep -c '/[0-9a-f]\{64\}$' || true)"
  } >"$partial/MANIFEST"

  verify_set "$partial" >/dev/null
  local set="$out/monkeytown-$stamp"
  [ ! -e "$set" ] || die "$set exists already (two backups in one second?)"
  sync -f "$partial" 2>/dev/null || sync
  mv "$partial" "$set"
  say "backup: $set ($(sed -n 's/^refs: //p' "$set/MANIFEST") refs, $(sed -n 's/^lfs-objects: //p' "$set/MANIFEST") LFS objects)"
  prune "$out" "$keep"
}

# Keeps the newest $2 complete sets; partial ones older than an hour are a backup that died, and go too.
prune() {
  local out=$1 keep=$2 old
  while IFS= read -r old; do
    rm -rf "$old"
    say "backup: removed $old (keeping $keep)"
  done < <(find "$out" -mindepth 1 -maxdepth 1 -type d -name 'monkeytown-*' | sort -r | tail -n +"$((keep + 1))")
  find "$out" -mindepth 1 -maxdepth 1 -type d -name '.partial-*' -mmin +60 -exec rm -rf {} +
}

# Restores a set into $2 (absent or empty): all branches and tags, the default branch checked out, the LFS objects
# in place. Checks the checksums first, so a damaged file is named before anything is written.
restore_into() {
  local set into=$2
  set=$(cd "$1" 2>/dev/null && pwd) || die "$1 is not a folder"
  [ -f "$set/MANIFEST" ] || die "$set has no MANIFEST: not a backup set"
  grep -qx 'format: monkeytown-backup/1' "$set/MANIFEST" || die "$set: unknown backup format"
  local file expected
  for file in repo.bundle lfs.tar; do
    expected=$(sed -n "s/^$file: //p" "$set/MANIFEST")
    [ -f "$set/$file" ] || die "$set/$file is missing"
    [ "$(sha256_of "$set/$file")" = "$expected" ] || die "$set/$file does not match its checksum: the set is damaged"
  done
  if [ -e "$into" ] && [ -n "$(ls -A "$into")" ]; then
    die "$into is not empty: restore only into an empty folder (move the old repository aside first)"
  fi
  local default_branch
  default_branch=$(sed -n 's/^default-branch: //p' "$set/MANIFEST")
  git init -q -b "$default_branch" "$into"
  git -C "$into" bundle verify -q "$set/repo.bundle" >/dev/null 2>&1 || die "$set/repo.bundle is not a valid bundle"
  git -C "$into" fetch -q --update-head-ok "$set/repo.bundle" 'refs/heads/*:refs/heads/*' 'refs/tags/*:refs/tags/*'
  if git -C "$into" rev-parse -q --verify "refs/heads/$default_branch" >/dev/null; then
    # Pointers stay pointers, as the services wrote them: no LFS smudge (it would try to download).
    GIT_LFS_SKIP_SMUDGE=1 git -C "$into" reset -q --hard
  fi
  local gitdir
  gitdir=$(git_dir_of "$into")
  mkdir -p "$gitdir/lfs"
  tar -C "$gitdir/lfs" -xf "$set/lfs.tar"
}

# Every LFS object hashes to its name, and every pointer on every branch tip has its object.
check_restored() {
  local into=$1 gitdir object name bad=0
  gitdir=$(git_dir_of "$into")
  if [ -d "$gitdir/lfs/objects" ]; then
    while IFS= read -r object; do
      name=${object##*/}
      if [ "$(sha256_of "$object")" != "$name" ]; then
        echo "backup: LFS object $name does not hash to its name" >&2
        bad=1
      fi
    done < <(find "$gitdir/lfs/objects" -type f)
  fi
  local ref
  while IFS= read -r ref; do
    if ! git -C "$into" lfs fsck --objects "$ref" >"$gitdir/fsck.log" 2>&1; then
      echo "backup: branch $ref names LFS objects the archive lacks or holds damaged:" >&2
      sed 's/^/  /' "$gitdir/fsck.log" >&2
      bad=1
    fi
  done < <(git -C "$into" for-each-ref --format='%(refname)' refs/heads)
  rm -f "$gitdir/fsck.log"
  [ "$bad" = 0 ] || die "verification failed"
}

verify_set() {
  local set=$1 scratch
  require git tar sha256sum
  scratch=$(mktemp -d)
  CLEANUP+=("$scratch")
  restore_into "$set" "$scratch/repo"
  check_restored "$scratch/repo"
  say "verified: $set"
}

cmd_restore() {
  local set="" into=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --into) into=${2:?}; shift 2 ;;
      -*) die "restore: unknown argument $1" ;;
      *) set=$1; shift ;;
    esac
  done
  { [ -n "$set" ] && [ -n "$into" ]; } || die "restore needs SET and --into DIR"
  require git tar sha256sum
  restore_into "$set" "$into"
  check_restored "$into"
  say "restored: $set into $into ($(git -C "$into" for-each-ref refs/heads | wc -l) branches)"
}

case "${1:-}" in
  create) shift; cmd_create "$@" ;;
  verify) shift; [ $# -eq 1 ] || die "verify needs one SET"; verify_set "$1" ;;
  restore) shift; cmd_restore "$@" ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
