#!/usr/bin/env bash
# Checks the import rules of DESIGN.md with `go list`. Exits 1 on a breach.
set -euo pipefail
mod=$(go list -m)
fail=0
breach() { echo "layering: $*"; fail=1; }

# The headless CLI must never depend on ebiten (it would panic with no display).
deps=$(go list -deps ./cmd/lightsout)
if grep -q 'hajimehoshi/ebiten' <<<"$deps"; then
  breach "cmd/lightsout depends on ebiten"
fi

# The view's packages other than its command (scene, palette, mesh) must not
# depend on ebiten either, nor their tests: they build and test with no display.
for pkg in $(go list ./cmd/lightsout-view/...); do
  rel=${pkg#"$mod"}
  [[ $rel == /cmd/lightsout-view ]] && continue
  deps=$(go list -deps -test "$pkg")
  if grep -q 'hajimehoshi/ebiten' <<<"$deps"; then
    breach "$rel depends on ebiten (only the command cmd/lightsout-view may)"
  fi
done

list=$(go list -f '{{.ImportPath}} {{join .Imports " "}}' ./...)
while read -r pkg imports; do
  rel=${pkg#"$mod"}
  for imp in $imports; do
    case "$imp" in
      *hajimehoshi/ebiten*) [[ $rel == /cmd/lightsout-view ]] || breach "$rel imports $imp (only the command cmd/lightsout-view may)";;
      *spf13/viper*) [[ $rel == /configs* || $rel == /cmd/* ]] || breach "$rel imports $imp (only configs and cmd may)";;
      go.uber.org/zap*) [[ $rel == /twin* && $rel != /twin/sim* || $rel == /cmd/* || $rel == /configs* ]] || breach "$rel imports $imp (zap belongs to twin and cmd)";;
    esac
    case "$rel" in
      /twin/sim) [[ $imp != *.* ]] || breach "twin/sim imports $imp (standard library only)";;
      /stations|/robots)
        case "$imp" in
          "$mod"/twin/sim) ;;
          "$mod"/*) breach "$rel imports $imp (stations and robots may import only twin/sim)";;
        esac;;
      /assets) [[ $imp == embed ]] || breach "assets imports $imp (only embed)";;
    esac
  done
done <<<"$list"
exit $fail
