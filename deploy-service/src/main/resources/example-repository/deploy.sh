#!/bin/sh
# Example deployment: puts the site build's output into a new release folder, then points `current` at it with one
# rename, so whoever reads $MONKEYTOWN_ENVIRONMENT_DIR/current sees the old release or the new one, never half of one.
set -eu
site="$MONKEYTOWN_ARTIFACTS/site/dist/site"
if [ ! -f "$site/index.html" ]; then
  echo "no site build output at $site (is the site pipeline's build there?)" >&2
  exit 1
fi
release="$MONKEYTOWN_ENVIRONMENT_DIR/releases/$MONKEYTOWN_DEPLOYMENT_ID"
mkdir -p "$MONKEYTOWN_ENVIRONMENT_DIR/releases"
rm -rf "$release.partial"
cp -R "$site" "$release.partial"
printf '%s\n' "$MONKEYTOWN_SHA" > "$release.partial/REVISION"
mv "$release.partial" "$release"
ln -sfn "releases/$MONKEYTOWN_DEPLOYMENT_ID" "$MONKEYTOWN_ENVIRONMENT_DIR/current.next"
mv -T "$MONKEYTOWN_ENVIRONMENT_DIR/current.next" "$MONKEYTOWN_ENVIRONMENT_DIR/current"
# Keep the five newest releases (deployment ids sort by time) and whatever `current` names; a revert deploys the last
# good build's artifacts again, so an old folder is never needed to go back, and without this every deployment would
# stay on disk for good.
current=$(readlink "$MONKEYTOWN_ENVIRONMENT_DIR/current")
# shellcheck disable=SC2012 # release names are deployment ids: letters and digits only
for old in $(ls -1 "$MONKEYTOWN_ENVIRONMENT_DIR/releases" | sort -r | tail -n +6); do
  [ "releases/$old" = "$current" ] || rm -rf "$MONKEYTOWN_ENVIRONMENT_DIR/releases/$old"
done
echo "deployed $MONKEYTOWN_SHA to $MONKEYTOWN_ENVIRONMENT as release $MONKEYTOWN_DEPLOYMENT_ID"
