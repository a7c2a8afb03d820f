#!/bin/sh
# Example health check: `current` points at this deployment's release, it serves exactly the site build's page, and
# that page is whole (a Monkeytown page whose list of pages is closed). A truncated page fails the deployment.
set -eu
current="$MONKEYTOWN_ENVIRONMENT_DIR/current"
expected="releases/$MONKEYTOWN_DEPLOYMENT_ID"
if [ "$(readlink "$current" || true)" != "$expected" ]; then
  echo "current points at '$(readlink "$current" || true)', not $expected" >&2
  exit 1
fi
page="$current/index.html"
if ! cmp -s "$page" "$MONKEYTOWN_ARTIFACTS/site/dist/site/index.html"; then
  echo "$page is not the site build's page" >&2
  exit 1
fi
if ! grep -q '<title>Monkeytown at ' "$page" || ! grep -q '</ul>' "$page"; then
  echo "$page is incomplete: no Monkeytown title or its list of pages is not closed" >&2
  exit 1
fi
echo "healthy: $MONKEYTOWN_ENVIRONMENT serves $(cat "$current/REVISION")"
