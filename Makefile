# lunatic in Go — developer targets.
GO ?= go

.PHONY: build example test race testdata bench vet

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

# Rebuild every guest module from its sources. tools/guest-toolchain.sh installs the guest
# toolchain from Debian packages when it is missing (see README); every build.sh uses it.
testdata:
	@bash tools/guest-toolchain.sh >/dev/null
	@for s in $$(git ls-files '*build.sh' | grep testdata/); do echo "== $$s"; bash "$$s" || exit 1; done
	@for f in $$(git ls-files '*.wat'); do \
		echo "wat2wasm $$f"; wat2wasm --enable-all --debug-names "$$f" -o "$${f%.wat}.wasm" || exit 1; \
	done

bench:
	bash bench/run.sh
