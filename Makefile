# PagerTree for Mattermost. `make dist` builds the bundle, `make test` runs the tests.
SHELL := /bin/bash
GO ?= go
NPM ?= npm
PLUGIN_ID := $(shell node -p "require('./plugin.json').id")
VERSION := $(shell node -p "require('./plugin.json').version")
BUNDLE := dist/$(PLUGIN_ID)-$(VERSION).tar.gz
LDFLAGS := -s -w
PLATFORMS := linux-amd64 linux-arm64 darwin-amd64 darwin-arm64 windows-amd64
GO_TEST_FLAGS ?= -race -count=1
FUZZTIME ?= 10s
# golangci-lint is built from the Go module proxy into a cache folder per version.
GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT := $(HOME)/.cache/pagertree-tools/golangci-lint-$(GOLANGCI_LINT_VERSION)/golangci-lint

.PHONY: all dist server webapp bundle test test-go test-fuzz test-webapp test-browser chromium bench check-style e2e e2e-version e2e-smoke bench-e2e demo demo-stop clean npm-install go-mod

all: check-style test dist

## Dependencies: installed on demand, so a fresh clone needs only Go and Node.
node_modules/.package-lock.json: package.json package-lock.json webapp/package.json e2e/package.json browser-hosts/react19/package.json
	$(NPM) ci --no-audit --no-fund
npm-install: node_modules/.package-lock.json

go-mod:
	$(GO) mod download

## The bundle.
dist: server webapp bundle

server: go-mod $(foreach p,$(PLATFORMS),server/dist/plugin-$(p)$(if $(findstring windows,$(p)),.exe,))

# manifest.go embeds plugin.json: the server's id, version and setting defaults come from it.
server/dist/plugin-%: $(shell find server -name '*.go' -not -name '*_test.go') manifest.go go.mod go.sum plugin.json
	@mkdir -p server/dist
	CGO_ENABLED=0 GOOS=$(word 1,$(subst -, ,$(basename $*))) GOARCH=$(word 2,$(subst -, ,$(basename $*))) \
		$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $@ ./server

webapp: npm-install
	$(NPM) run build -w webapp

bundle:
	./build/bundle.sh $(PLUGIN_ID) $(VERSION)

## Tests.
test: test-go test-fuzz test-webapp test-browser

test-go: go-mod
	$(GO) test $(GO_TEST_FLAGS) ./server/...

# Each fuzz target (package under server/:Target; . is server itself) runs briefly; `make test-fuzz FUZZTIME=5m` for a longer run.
# Minimising a new input is bounded: unbounded, it can outlast -fuzztime and fail the run with
# "context deadline exceeded"; Go 1.26 can also fail that way at the deadline itself, which
# build/fuzz-one.sh tells from a finding.
FUZZ_TARGETS := paging:FuzzMatcher paging:FuzzUrgency paging:FuzzSeverities paging:FuzzMask paging:FuzzSettingLists paging:FuzzAnyIndex pagertreeclient:FuzzDecodeREST .:FuzzScreenRequest \
	pagertreeclient:FuzzDecodeEvent pagertreeclient:FuzzDecodeComments alertstate:FuzzNeutralize
test-fuzz: go-mod
	@for pt in $(FUZZ_TARGETS); do \
		pkg=$${pt%%:*}; t=$${pt##*:}; \
		echo "fuzz $$pkg $$t for $(FUZZTIME)"; \
		./build/fuzz-one.sh "$(GO)" "$$pkg" "$$t" "$(FUZZTIME)" || exit 1; \
	done

test-webapp: npm-install
	$(NPM) test -w webapp

# Loads the built webapp/dist/main.js in headless Chromium (Debian's package, installed if missing).
test-browser: webapp chromium
	$(NPM) run test:browser -w webapp

chromium:
	@command -v chromium >/dev/null || { echo "installing Debian's chromium for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

bench: go-mod
	$(GO) test ./server/... -run '^$$' -bench . -benchmem

## End-to-end: a real Mattermost server + PostgreSQL + the bundle + a PagerTree stand-in.
# The full suite on the newest server in e2e/mmserver, then two nodes on one database.
e2e: dist
	E2E_TWO_NODES=1 ./e2e/run.sh

# Another server version (a directory in e2e/mmserver; default: the oldest) with a list of scopes
# (e2e/run.sh's E2E_SCOPE: full, smoke, loop): `make e2e-version MM_SERVER=9.11 E2E_SCOPE=smoke,loop`.
# `make e2e-smoke MM_SERVER=9.11` is the smoke subset alone.
MM_SERVER ?= $(firstword $(shell ls e2e/mmserver | sort -V))
E2E_SCOPE ?= smoke
e2e-version: dist
	E2E_SCOPE=$(E2E_SCOPE) ./e2e/run.sh $(MM_SERVER)

e2e-smoke: dist
	E2E_SCOPE=smoke ./e2e/run.sh $(MM_SERVER)

## See it work: a local Mattermost with the bundle and a PagerTree stand-in, left running.
demo: dist
	@./e2e/demo-stop.sh >/dev/null
	E2E_DEMO=1 E2E_RUN_DIR=$(CURDIR)/e2e/.run-demo PAGERTREE_E2E_DB=pagertree_demo \
		E2E_PORT=$$(node -e "const s=require('net').createServer();s.once('error',()=>console.log(0));s.listen(8065,'127.0.0.1',()=>{s.close();console.log(8065)})" | sed 's/^0$$//') \
		./e2e/run.sh

demo-stop:
	@./e2e/demo-stop.sh

# The plugin side by side with the built-in outgoing webhook on the same real server (not part of
# CI: for people and releases; about 4 minutes). Prints the figures and writes e2e/.run/bench.json.
bench-e2e: dist
	E2E_SUITE=bench BENCH_COMMIT=$$(git rev-parse --short HEAD 2>/dev/null) ./e2e/run.sh

$(GOLANGCI_LINT):
	GOBIN=$(dir $@) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

# Go packages are named explicitly: ./... would walk into node_modules.
check-style: go-mod npm-install $(GOLANGCI_LINT)
	@out=$$(gofmt -l manifest.go server e2e/mmserver e2e/bench); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet . ./server/... ./e2e/bench/...
	$(GOLANGCI_LINT) run . ./server/...
	$(NPM) run lint
	$(NPM) run typecheck
	node build/check-links.js

clean:
	rm -rf dist server/dist webapp/dist e2e/.run e2e/.demo-js webapp/test-results
