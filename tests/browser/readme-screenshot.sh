#!/usr/bin/env bash
# Regenerates docs/preview.png, the README's screenshot of the preview of
# the reference notes, with the same headless Chromium the tests use.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp input/sino-soviet.txt "$work/"
cargo build --quiet
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
deckc="$target/debug/deckc"
# From inside the scratch dir, so the page names the notes `sino-soviet.txt`.
(cd "$work" && "$deckc" preview sino-soviet.txt -o preview.html --message-format json >/dev/null)
"${CHROMIUM:-/usr/bin/chromium}" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --force-device-scale-factor=1 --user-data-dir="$work/profile" \
    --window-size=1280,1250 --screenshot="$PWD/docs/preview.png" "file://$work/preview.html" 2>/dev/null
echo "wrote docs/preview.png"
