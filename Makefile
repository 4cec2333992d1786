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
# The Go release go.mod asks for, for go-check's message.
GO_WANT := $(shell sed -n 's/^go //p' go.mod)

.PHONY: run batch build install go-check test fmt-check vet layering unit view-test race bench pgo deps system-deps clean

# Where `make install` puts the binaries: GOBIN when set (make's environment
# or `go env GOBIN`), else ~/.local/bin.
GOBIN_ENV = $(shell $(GO) env GOBIN 2>/dev/null)
BINDIR    ?= $(or $(GOBIN),$(GOBIN_ENV),$(HOME)/.local/bin)

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

## build: install missing system packages (cgo, X headers), then build both binaries into ./bin
build: system-deps
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/lightsout ./cmd/lightsout
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/lightsout-view ./cmd/lightsout-view

## deps: install missing system packages (Debian/Ubuntu; sudo when not root) and the test's npm packages
deps: system-deps $(TAHU)/node_modules/.installed

system-deps: go-check
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

fmt-check: go-check
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet: go-check
	$(GO) vet ./...

## layering: the import rules of docs/architecture.md
layering: go-check
	@./scripts/check-layering.sh

unit: go-check
	$(GO) test -count=1 $(HEADLESS_PKGS)

view-test: go-check
	$(XVFB) $(GO) test -count=1 $(VIEW_PKG)

race: go-check
	$(GO) test -count=1 -race -short $(RACE_PKGS)

## bench: Go benchmarks of the kernel, the stations and a simulated day of the factory
bench: go-check
	$(GO) test -run '^$$' -bench . -benchmem ./twin/... ./stations/

## pgo: refresh cmd/lightsout/default.pgo from a profile of the default factory (see docs/speed.md)
pgo: go-check
	$(GO) test -run '^$$' -bench FactoryDay -benchtime 30x -cpuprofile $${TMPDIR:-/tmp}/factory.pgo ./twin/
	$(GO) run ./cmd/internal/pgotrim -root "$$PWD" -root "$$($(GO) env GOMODCACHE)" -root "$$($(GO) env GOROOT)/src" \
	  $${TMPDIR:-/tmp}/factory.pgo cmd/lightsout/default.pgo

## install: build, then copy both binaries to GOBIN (else ~/.local/bin) and say whether it is on PATH
install: build
	@mkdir -p "$(BINDIR)"
	@install -m 0755 bin/lightsout bin/lightsout-view "$(BINDIR)/"
	@echo "installed lightsout and lightsout-view in $(BINDIR)"
	@case ":$$PATH:" in \
	  *":$(BINDIR):"*) echo "$(BINDIR) is on your PATH: run lightsout version";; \
	  *) echo "$(BINDIR) is NOT on your PATH: run  export PATH=\"$(BINDIR):\$$PATH\"  (and add it to your shell's profile)";; \
	esac

# go-check: every target that runs Go depends on it, so a missing Go says
# so in one clear line rather than "go: not found".
go-check:
	@command -v $(GO) >/dev/null 2>&1 || { \
	  echo "Go is not installed or not on PATH (this needs Go $(GO_WANT) or newer): see https://go.dev/doc/install" >&2; exit 1; }

clean:
	rm -rf bin
