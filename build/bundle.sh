#!/usr/bin/env bash
# Packs the installable bundle: <id>/plugin.json, assets, server executables and the webapp,
# the layout System Console > Plugins > Upload expects.
set -euo pipefail
id=$1 version=$2
cd "$(dirname "$0")/.."
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/$id"
mkdir -p "$root/server/dist" "$root/webapp/dist" "$root/assets"
cp plugin.json "$root/"
cp assets/* "$root/assets/"
for exe in $(node -p "Object.values(require('./plugin.json').server.executables).join(' ')"); do
  [ -f "$exe" ] || { echo "missing $exe: run make server" >&2; exit 1; }
  cp "$exe" "$root/$exe"
done
[ -f webapp/dist/main.js ] || { echo "missing webapp/dist/main.js: run make webapp" >&2; exit 1; }
cp webapp/dist/main.js "$root/webapp/dist/"
mkdir -p dist
tar -C "$stage" --owner=0 --group=0 --sort=name -czf "dist/$id-$version.tar.gz" "$id"
echo "built dist/$id-$version.tar.gz"
