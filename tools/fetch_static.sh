#!/usr/bin/env bash
# Fetch the browser assets the book needs offline (require.js, the ipywidgets HTML manager,
# MathJax 3) from the npm registry into book/_vendor/ (git-ignored). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=book/_vendor
[ -f "$dest/.complete" ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent @jupyter-widgets/html-manager@1.0.6 requirejs@2.3.7 mathjax@3.2.2 >/dev/null )
for f in "$tmp"/*.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
rm -rf "$dest" && mkdir -p "$dest/html-manager" "$dest/mathjax"
cp "$tmp"/requirejs-*/package/require.js "$dest/require.min.js"
cp -r "$tmp"/jupyter-widgets-html-manager-*/package/dist/. "$dest/html-manager/"
find "$dest/html-manager" -name '*.map' -delete
cp -r "$tmp"/mathjax-*/package/es5/. "$dest/mathjax/"
touch "$dest/.complete"
echo "offline assets in $dest"
