# lunatic in Go — developer targets.
GO ?= go

.PHONY: build example test race testdata bench vet fuzz cross portable

build:
	$(GO) build -o bin/lunatic ./cmd/lunatic

# Build, then run a bundled example under `lunatic run`.
example: build
	./bin/lunatic run testdata/wasm/hello.wasm

vet:
	$(GO) vet ./...

# The test command CI runs (see .ci/run and README.md).
# The corpus tests compile multi-megabyte guests with wazero's compiler, which the race
# detector slows tenfold (27 s -> 270 s here, past go test's 10-minute package limit on a
# slow 2-core CI machine) while finding nothing: instrumentation is single-threaded. They
# run in a second, race-free pass.
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -skip '^TestCorpus' ./...
	$(GO) test -count=1 -run '^TestCorpus' ./scheduler/

# Rebuild every guest module from its sources. tools/guest-toolchain.sh installs the guest
# toolchain from Debian packages when it is missing (see README); every build.sh uses it.
testdata:
	@bash tools/guest-toolchain.sh >/dev/null
	@for s in $$(git ls-files '*build.sh' | grep testdata/); do echo "== $$s"; bash "$$s" || exit 1; done
	@# WAT files beside a build.sh are compiled by that script. wabt's default features are
	@# the ones the guests use (--enable-all would turn on typed function references, which
	@# changes how ref.func type-checks and rejects scheduler/testdata/features.wat).
	@for f in $$(git ls-files '*.wat'); do \
		[ -f "$$(dirname "$$f")/build.sh" ] && continue; \
		echo "wat2wasm $$f"; wat2wasm --debug-names "$$f" -o "$${f%.wat}.wasm" || exit 1; \
	done

bench:
	bash bench/run.sh

# Run every fuzz target briefly. A target is "package:Name:budget"; the budget is a count of
# executions ("Nx"), sized to a few seconds on two cores. A count, not a duration: with a
# duration, Go before 1.27 can fail a clean run with "context deadline exceeded" at the
# deadline (golang/go#75804), which failed CI on a loaded machine. FUZZTIME=30s (or 1000000x)
# replaces every budget for a longer local run. A name that matches no fuzz test fails.
FUZZTIME ?=
FUZZ_TARGETS = \
	./scheduler:FuzzInstrument:10000x \
	./vm:FuzzLimitTables:50000x \
	./hostfuncs/internal/hostfunc:FuzzDecodeParams:100000x \
	./permissions:FuzzNetRule:100000x \
	./sqlite:FuzzWireDecode:25000x \
	./cluster:FuzzWireDecode:12000x \
	./cmd/lunatic/internal/testharness:FuzzWasmFuncExports:15000x

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; budget=$${rest#*:}; \
		[ -n "$(FUZZTIME)" ] && budget="$(FUZZTIME)"; \
		echo "== $$pkg $$name ($$budget)"; \
		out=$$($(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $$budget -fuzzminimizetime 10s $$pkg 2>&1); rc=$$?; \
		echo "$$out" | tail -n 4; \
		if [ $$rc -ne 0 ]; then echo "$$out"; exit 1; fi; \
		if echo "$$out" | grep -q 'no fuzz tests to fuzz'; then echo "fuzz: $$name is not a fuzz test in $$pkg" >&2; exit 1; fi; \
	done

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
