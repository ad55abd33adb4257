# lunatic in Go — developer targets.
GO ?= go

.PHONY: build example test race testdata bench vet cross portable

build:
	$(GO) build -o bin/lunatic ./cmd/lunatic

# Build, then run a bundled example under `lunatic run`.
example: build
	./bin/lunatic run testdata/wasm/hello.wasm

vet:
	$(GO) vet ./...

# The test command CI runs (see .ci/run and README.md).
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

# Rebuild every guest module from its sources (needs the guest toolchain; see README).
testdata:
	@for s in $$(git ls-files '*build.sh' | grep testdata/); do echo "== $$s"; bash "$$s" || exit 1; done
	@for f in $$(git ls-files '*.wat'); do \
		echo "wat2wasm $$f"; wat2wasm --enable-all --debug-names "$$f" -o "$${f%.wat}.wasm" || exit 1; \
	done

bench:
	bash bench/run.sh

# Every platform lunatic supports, checked by cross-compiling: `go build` and `go vet`
# (which also type-checks the tests) for each GOOS/GOARCH. CI runs it.
CROSS_TARGETS ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64 freebsd/amd64
cross:
	@for t in $(CROSS_TARGETS); do \
		echo "== $$t"; \
		GOOS=$${t%/*} GOARCH=$${t#*/} $(GO) build ./... || exit 1; \
		GOOS=$${t%/*} GOARCH=$${t#*/} $(GO) vet ./... || exit 1; \
	done

# Run, not only build, where this machine can emulate the platform: linux/arm64 under
# qemu-user, windows/amd64 under Wine (see tools/portable.sh; PORTABLE=arm64 for one).
PORTABLE ?= arm64 windows
portable:
	bash tools/portable.sh $(PORTABLE)
