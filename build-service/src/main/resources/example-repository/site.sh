#!/bin/sh
# Example build: a static index of the repository's Markdown files and a reproducible tarball of them.
set -eu
mkdir -p dist/site
{
  printf '<!doctype html>\n<title>Monkeytown at %s</title>\n<h1>Monkeytown</h1>\n<ul>\n' "$MONKEYTOWN_SHA"
  git ls-files '*.md' | while read -r file; do
    title=$(grep -m1 '^# ' "$file" | sed 's/^# //' || true)
    printf '  <li>%s — %s</li>\n' "$file" "${title:-untitled}"
  done
  printf '</ul>\n<p>build %s, attempt %s</p>\n' "$MONKEYTOWN_BUILD_ID" "$MONKEYTOWN_ATTEMPT"
} > dist/site/index.html
git ls-files '*.md' | tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf dist/sources.tar -T -
echo "built dist/site/index.html and dist/sources.tar ($(wc -c < dist/sources.tar) bytes) for $MONKEYTOWN_SHA"
