#!/usr/bin/env bash
# Puts Kaltura's published web player and its KAVA plugin, at the versions Vantage is tested
# against, in DIR (default var/npm, which git ignores): DIR/kaltura-player-js/dist and
# DIR/playkit-js-kava/dist. Does nothing when they are already there.
#
# `npm pack`, not `npm install`: the player's package.json pins dependencies the registry no
# longer has (@playkit-js/playkit-js-dash@1.40.0), so an install fails; its dist bundle is
# self-contained and is all a page loads.
set -euo pipefail
dir=${1:-var/npm}
packages=(@playkit-js/kaltura-player-js@3.17.95 @playkit-js/playkit-js-kava@0.15.1)
[[ -f $dir/kaltura-player-js/dist/kaltura-ovp-player.js && -f $dir/playkit-js-kava/dist/playkit-kava.js ]] \
    && exit 0
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm pack --silent --pack-destination "$tmp" "${packages[@]}" >/dev/null
for tgz in "$tmp"/*.tgz; do
    name=$(basename "$tgz" | sed -E 's/^playkit-js-(.*)-[0-9.]+\.tgz$/\1/')
    rm -rf "${dir:?}/$name"
    mkdir -p "$dir/$name"
    tar xzf "$tgz" -C "$dir/$name" --strip-components=1 package/dist package/package.json
done
