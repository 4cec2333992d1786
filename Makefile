# Lightsout: common tasks. `make run` and `make test` are all a newcomer needs.
GO      ?= go
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# Packages whose tests are worth the race detector (concurrency in batch runs).
RACE_PKGS := ./twin/... ./cmd/...

.PHONY: run build test fmt-check vet layering unit race bench deps clean

## run: build and run the default batch on the embedded phone factory
run: deps build
	./bin/lightsout batch

## build: build the headless CLI into ./bin
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/lightsout ./cmd/lightsout

## deps: install missing system packages (a C compiler for the race detector)
deps:
	@command -v $(GO) >/dev/null || { echo "Go is not installed: see https://go.dev/doc/install"; exit 1; }
	@command -v gcc >/dev/null || { \
	  if command -v apt-get >/dev/null; then $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends gcc libc6-dev; \
	  else echo "gcc not found: install a C compiler to run the race detector"; fi; }

## test: formatting, vet, layering, unit tests, race tests
test: deps fmt-check vet layering unit race

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## layering: the import rules of DESIGN.md
layering:
	@./scripts/check-layering.sh

unit:
	$(GO) test -count=1 ./...

race:
	$(GO) test -count=1 -race -short $(RACE_PKGS)

## bench: Go benchmarks of the kernel and of a simulated day of the factory
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./twin/...

clean:
	rm -rf bin
