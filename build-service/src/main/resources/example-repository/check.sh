#!/bin/sh
# Example check that fails on demand: it fails while the file build/FAIL exists in the commit being built.
set -eu
if [ -f build/FAIL ]; then
  echo "failing on purpose (attempt $MONKEYTOWN_ATTEMPT): $(head -n1 build/FAIL)"
  exit 1
fi
echo "all checks passed for $MONKEYTOWN_SHA"
