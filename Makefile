# Lightsout: common tasks. `make run` and `make test` are all a newcomer needs.
GO      ?= go
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
XVFB    := xvfb-run -a -s "-screen 0 1280x800x24"
# Every package but the view's command (package main), whose test binary
# needs a display; its packages scene, palette, mesh and twinmode never
# import ebiten.
VIEW_PKG      := ./cmd/lightsout-view
HEADLESS_PKGS = $(shell $(GO) list ./... | grep -v '/cmd/lightsout-view$$')
# Packages whose tests are worth the race detector (concurrency in batch runs).
RACE_PKGS := ./twin/... ./cmd/lightsout/... ./cmd/internal/twinwire/
# Eclipse Tahu's JavaScript Sparkplug library (npm, pinned by package-lock.json)
# for the Sparkplug sessions' interoperability test (twin/sparkplug/host);
# its node_modules is not committed.
TAHU    := twin/sparkplug/host/testdata/tahu

.PHONY: run batch build test fmt-check vet layering unit view-test race bench pgo deps system-deps clean

## run: open the window on the default factory (headless batch when there is no display)
run: deps build
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then \
	  ./bin/lightsout-view; \
	else \
	  echo "no display: running the default batch instead (the window needs X; see README)"; \
	  ./bin/lightsout batch; \
	fi

## batch: the default batch of the phone factory, headless
batch: build
	./bin/lightsout batch

## build: build both binaries into ./bin
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/lightsout ./cmd/lightsout
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/lightsout-view ./cmd/lightsout-view

## deps: install missing system packages (Debian/Ubuntu; sudo when not root) and the test's npm packages
deps: system-deps $(TAHU)/node_modules/.installed

system-deps:
	@command -v $(GO) >/dev/null || { echo "Go is not installed: see https://go.dev/doc/install"; exit 1; }
	@./scripts/install-deps.sh

# npm ci only when package-lock.json changed or node_modules is missing.
$(TAHU)/node_modules/.installed: $(TAHU)/package-lock.json | system-deps
	@if ! command -v npm >/dev/null; then \
	  echo "deps: npm is not installed: the Sparkplug interoperability test will be skipped"; exit 0; \
	fi; \
	echo "deps: npm ci in $(TAHU) (Eclipse Tahu's sparkplug-payload, for the interoperability test)"; \
	cd $(TAHU) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null && touch node_modules/.installed

## test: formatting, vet, layering, all tests (the view's under Xvfb), race tests
test: deps fmt-check vet layering unit view-test race

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## layering: the import rules of docs/architecture.md
layering:
	@./scripts/check-layering.sh

unit:
	$(GO) test -count=1 $(HEADLESS_PKGS)

view-test:
	$(XVFB) $(GO) test -count=1 $(VIEW_PKG)

race:
	$(GO) test -count=1 -race -short $(RACE_PKGS)

## bench: Go benchmarks of the kernel, the stations and a simulated day of the factory
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./twin/... ./stations/

## pgo: refresh cmd/lightsout/default.pgo from a profile of the default factory (see docs/speed.md)
pgo:
	$(GO) test -run '^$$' -bench FactoryDay -benchtime 30x -cpuprofile $${TMPDIR:-/tmp}/factory.pgo ./twin/
	$(GO) run ./cmd/internal/pgotrim -root "$$PWD" -root "$$($(GO) env GOMODCACHE)" -root "$$($(GO) env GOROOT)/src" \
	  $${TMPDIR:-/tmp}/factory.pgo cmd/lightsout/default.pgo

clean:
	rm -rf bin
