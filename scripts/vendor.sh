#!/usr/bin/env bash
# Vendors the dashboard's front-end packages from the npm registry into the repository, so a fresh
# clone serves them itself (no CDN, no npm at run time). Rerun after changing a version below:
# `make vendor`. Each package is fetched with `npm pack` into a temporary folder; only the built
# files the app serves and each package's licence are copied.
set -euo pipefail

PICO_VERSION=2.1.1       # @picocss/pico: the dashboard's CSS framework
HTMX_VERSION=2.0.8       # htmx.org 2.x: live parts (analysis progress, queue actions)
AXE_VERSION=4.11.0       # axe-core 4.x: accessibility checks injected by the browser tests

root="$(cd "$(dirname "$0")/.." && pwd)"
static="$root/feedback_app/static/vendor"
tests="$root/tests/app/web/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

unpack() {  # unpack NAME@VERSION -> prints the unpacked package folder
  local spec="$1" dir="$work/$(echo "$1" | tr '/@' '__')"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$spec" >/dev/null && tar -xzf ./*.tgz)
  echo "$dir/package"
}

rm -rf "$static" "$tests"
mkdir -p "$static/pico" "$static/htmx" "$tests"

pico="$(unpack "@picocss/pico@$PICO_VERSION")"
cp "$pico/css/pico.min.css" "$static/pico/"
cp "$pico/LICENSE.md" "$static/pico/LICENSE.md"

htmx="$(unpack "htmx.org@$HTMX_VERSION")"
cp "$htmx/dist/htmx.min.js" "$static/htmx/"
cp "$htmx/LICENSE" "$static/htmx/LICENSE"

axe="$(unpack "axe-core@$AXE_VERSION")"
cp "$axe/axe.min.js" "$tests/"
cp "$axe/LICENSE" "$tests/LICENSE"

cat > "$static/VERSIONS" <<VERSIONS
@picocss/pico $PICO_VERSION
htmx.org $HTMX_VERSION
VERSIONS
echo "axe-core $AXE_VERSION" > "$tests/VERSION"
echo "Vendored pico $PICO_VERSION, htmx $HTMX_VERSION, axe-core $AXE_VERSION"
