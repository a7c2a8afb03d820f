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
# names it, and collects an object only long after its last pointer is gone (gc.delay), so every pointer on a branch
# tip has its object on disk when the objects are archived. Verification checks exactly that (git lfs fsck on every
# branch tip; older commits may name objects collected since, which only a revert to them would bring back).
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

  verify_set "$partial" "$partial" >/dev/null
  rm -rf "$partial/.verify"
  local set="$out/monkeytown-$stamp"
  [ ! -e "$set" ] || die "$set exists already (two backups in one second?)"
  sync -f "$partial" 2>/dev/null || sync
  mv "$partial" "$set"
  say "backup: $set ($(sed -n 's/^refs: //p' "$set/MANIFEST") refs, $(sed -n 's/^lfs-objects: //p' "$set/MANIFEST") LFS objects)"
  prune "$out" "$keep"
}

# Keeps the newest $2 complete sets: only folders named as this script names them and holding a MANIFEST count, so
# nothing else in --out is ever removed. Partial sets older than a day are a backup that died, and go too.
prune() {
  local out=$1 keep=$2 dir name sets=() i
  for dir in "$out"/monkeytown-*; do
    name=${dir##*/}
    if [[ "$name" =~ ^monkeytown-[0-9]{8}T[0-9]{6}Z$ ]] && [ -d "$dir" ] && [ -f "$dir/MANIFEST" ]; then sets+=("$name"); fi
  done
  # the names sort by time; the newest $keep stay
  if [ ${#sets[@]} -gt "$keep" ]; then
    mapfile -t sets < <(printf '%s\n' "${sets[@]}" | sort)
    for ((i = 0; i < ${#sets[@]} - keep; i++)); do
      rm -rf "${out:?}/${sets[$i]}"
      say "backup: removed $out/${sets[$i]} (keeping $keep)"
    done
  fi
  for dir in "$out"/.partial-*; do
    name=${dir##*/}
    if [[ "$name" =~ ^\.partial-[0-9]{8}T[0-9]{6}Z-[0-9]+$ ]] && [ -d "$dir" ] && [ -n "$(find "$dir" -maxdepth 0 -mmin +1440)" ]; then
      rm -rf "${out:?}/$name"
    fi
  done
}

# Restores a set into $2 (absent or empty): all branches and tags, the default branch checked out, the LFS objects
# in place, checked. Checks the set's checksums and the archive's entries first, so a damaged or foreign set is named
# before anything is written; builds the repository beside $2 and renames it into place only once it passed, so a
# failed or killed restore never leaves a half-written repository where the suite would start on it.
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
  check_archive "$set/lfs.tar"
  if [ -e "$into" ] && { [ ! -d "$into" ] || [ -n "$(ls -A "$into")" ]; }; then
    die "$into is not empty: restore only into an empty folder (move the old repository aside first)"
  fi
  local default_branch
  default_branch=$(sed -n 's/^default-branch: //p' "$set/MANIFEST")
  git check-ref-format --branch "$default_branch" >/dev/null 2>&1 || die "$set: bad default branch in MANIFEST"

  local parent staging
  parent=$(dirname "$into")
  mkdir -p "$parent"
  staging="$parent/.restoring-$(basename "$into")-$$"
  CLEANUP+=("$staging")
  git init -q -b "$default_branch" "$staging"
  git -C "$staging" bundle verify -q "$set/repo.bundle" >/dev/null 2>&1 || die "$set/repo.bundle is not a valid bundle"
  git -C "$staging" fetch -q --update-head-ok "$set/repo.bundle" 'refs/heads/*:refs/heads/*' 'refs/tags/*:refs/tags/*'
  if git -C "$staging" rev-parse -q --verify "refs/heads/$default_branch" >/dev/null; then
    # Pointers stay pointers, as the services wrote them: no LFS smudge (it would try to download).
    GIT_LFS_SKIP_SMUDGE=1 git -C "$staging" reset -q --hard
  fi
  mkdir -p "$staging/.git/lfs"
  tar -C "$staging/.git/lfs" --no-same-owner --no-same-permissions -xf "$set/lfs.tar" || die "$set/lfs.tar could not be unpacked"
  [ -z "$(find "$staging/.git/lfs" -type l)" ] || die "$set/lfs.tar left a symbolic link: refused"
  check_restored "$staging"
  if [ -d "$into" ]; then rmdir "$into"; fi
  mv "$staging" "$into"
}

# The archive may hold only the LFS object layout: folders objects/ab/cd/ and files objects/ab/cd/<64 hex>. Anything
# else (a link, a device, ../, another path) means the set was not made by this script, and it is refused.
check_archive() {
  local line type name
  while IFS= read -r line; do
    type=${line:0:1}
    name=${line##* }
    case "$type" in
      d) [[ "$name" =~ ^objects/([0-9a-f]{2}/([0-9a-f]{2}/)?)?$ ]] || die "$1: unexpected folder $name: refused" ;;
      -) [[ "$name" =~ ^objects/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$ ]] || die "$1: unexpected file $name: refused" ;;
      *) die "$1: an entry that is not a file or folder ($type): refused" ;;
    esac
  done < <(tar --numeric-owner -tvf "$1")
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
    if ! git -C "$into" lfs fsck --dry-run --objects "$ref" >"$gitdir/fsck.log" 2>&1; then
      echo "backup: branch $ref names LFS objects the archive lacks or holds damaged:" >&2
      sed 's/^/  /' "$gitdir/fsck.log" >&2
      bad=1
    fi
  done < <(git -C "$into" for-each-ref --format='%(refname)' refs/heads)
  rm -f "$gitdir/fsck.log"
  [ "$bad" = 0 ] || die "verification failed"
}

# Restores $1 into a scratch repository (under $2 if given, so a killed run leaves it where prune finds it).
verify_set() {
  local set=$1 scratch
  require git tar sha256sum
  if [ -n "${2:-}" ]; then scratch="$2/.verify"; else scratch=$(mktemp -d); fi
  CLEANUP+=("$scratch")
  restore_into "$set" "$scratch/repo"
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
  say "restored: $set into $into ($(git -C "$into" for-each-ref refs/heads | wc -l) branches)"
}

case "${1:-}" in
  create) shift; cmd_create "$@" ;;
  verify) shift; [ $# -eq 1 ] || die "verify needs one SET"; verify_set "$1" ;;
  restore) shift; cmd_restore "$@" ;;
  *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
