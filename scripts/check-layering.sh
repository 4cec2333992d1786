#!/usr/bin/env bash
# Checks the import rules of docs/architecture.md with `go list`. Exits 1
# on a breach, naming it.
set -euo pipefail
mod=$(go list -m)
fail=0
breach() { echo "layering: $*"; fail=1; }

# The headless CLI must never depend on ebiten (it would panic with no display).
if go list -deps ./cmd/lightsout | grep -q 'hajimehoshi/ebiten'; then
  breach "cmd/lightsout depends on ebiten"
fi

# The transport-free core of the twin: no MQTT, even indirectly, and no
# HTTP of its own (zap, which they may use, links net/http in).
for p in twin/packml twin/edge twin/mirror twin/monitor twin/forecast twin/sparkplug twin/sparkplug/host twin/autopilot twin/pilot; do
  [ -d "$p" ] || continue
  deps=$(go list -deps "./$p")
  for bad in "$mod/twin/link" eclipse/paho mochi-mqtt "$mod/twin/api"; do
    if grep -q "$bad" <<<"$deps"; then breach "$p depends on $bad (it must stay transport-free)"; fi
  done
  if go list -f '{{join .Imports "\n"}}' "./$p" | grep -qx 'net/http'; then
    breach "$p imports net/http (it must stay transport-free)"
  fi
done

# What each package of the twin may import from the module (direct imports).
allowed() {
  case "$1" in
    /twin/sim) echo "";;
    /stations|/robots) echo "/twin/sim /twin/wear";;
    /twin/wear) echo "/twin/sim";;
    /twin) echo "/twin/sim /stations /robots /twin/sensor /twin/bottleneck";;
    /twin/sensor) echo "/twin/sim";;
    /twin/bottleneck) echo "/twin/sim";;
    /twin/textfmt) echo "/twin/sim";;
    /twin/sparkplug) echo "";;
    /twin/sparkplug/host) echo "/twin/sparkplug";;
    /twin/sparkplug/sparkplugtest) echo "/twin/sparkplug /twin/packml";;
    /twin/packml) echo "/twin /twin/sim /stations /robots /twin/sparkplug";;
    /twin/edge) echo "/twin /twin/sim /stations /robots /twin/sparkplug /twin/packml";;
    /twin/mirror) echo "/twin /twin/sim /stations /robots /twin/sparkplug /twin/sparkplug/host /twin/packml";;
    /twin/monitor) echo "/twin /twin/sim /stations /robots /twin/sparkplug /twin/sparkplug/host /twin/packml /twin/mirror /twin/deviation /twin/bottleneck";;
    /twin/forecast) echo "/twin /twin/sim /stations /robots /twin/sparkplug /twin/packml /twin/mirror /twin/deviation";;
    /twin/pilot) echo "/twin /twin/sim /stations /robots /twin/autopilot /twin/sparkplug /twin/sparkplug/host /twin/packml /twin/mirror /twin/monitor /twin/forecast /twin/deviation";;
    /twin/api) echo "/twin /twin/sim /stations /robots /twin/sparkplug /twin/sparkplug/host /twin/packml /twin/mirror /twin/monitor /twin/forecast /twin/deviation /twin/autopilot /twin/pilot";;
    /twin/link) echo "";;
    /twin/deviation) echo "/twin/sim /twin";;
    /twin/autopilot) echo "/twin/sim";;
    *) echo "any";;
  esac
}

# The view's packages other than its command (scene, palette, mesh, twinmode) must not
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
  ok=$(allowed "$rel")
  for imp in $imports; do
    case "$imp" in
      *hajimehoshi/ebiten*) [[ $rel == /cmd/lightsout-view ]] || breach "$rel imports $imp (only the command cmd/lightsout-view may)";;
      *spf13/viper*) [[ $rel == /configs* || $rel == /cmd/* ]] || breach "$rel imports $imp (only configs and cmd may)";;
      go.uber.org/zap*) [[ $rel == /twin* && $rel != /twin/sim* || $rel == /cmd/* || $rel == /configs* ]] || breach "$rel imports $imp (zap belongs to twin and cmd)";;
      "$mod"/twin/twintest|"$mod"/twin/link/linktest|"$mod"/twin/sparkplug/sparkplugtest) breach "$rel imports $imp (test support: only _test.go files may)";;
    esac
    case "$rel" in
      /twin/sim) [[ $imp != *.* ]] || breach "twin/sim imports $imp (standard library only)";;
      /twin/autopilot) [[ $imp != *.* || $imp == "$mod"/twin/sim ]] || breach "twin/autopilot imports $imp (standard library and twin/sim only)";;
      /assets) [[ $imp == embed ]] || breach "assets imports $imp (only embed)";;
    esac
    [[ $ok == any || $imp != "$mod"/* ]] && continue
    [[ " $ok " == *" ${imp#"$mod"} "* ]] || breach "$rel imports ${imp#"$mod"} (allowed: ${ok:-nothing of the module})"
  done
done <<<"$list"

exit $fail
