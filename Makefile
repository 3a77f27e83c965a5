# Every target works on a fresh machine with Go and Docker: Go modules come
# from the module proxy, Debian packages through scripts/setup.sh, images are
# built locally from the repo.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# One Go module per area; the order is the order tests run in.
MODULES := contracts/config-schema contracts/metrics orchestrator-core \
	orchestrator-core/promexport tools/spec-trace test-harness/refengine \
	test-harness/determinism-suite test-harness/chaos test-harness/bdd

REPORTS   ?= reports
FUZZTIME  ?= 10s
BENCHTIME ?= 1s
export TESTCONTAINERS_RYUK_DISABLED := true

.PHONY: help test report lint bench fuzz mutation setup tools image clean chaos-smoke chaos

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

setup: ## install the Debian packages the tests need (idempotent)
	@scripts/setup.sh

tools: ## build the project's own tools into bin/
	@mkdir -p bin
	@go build -o bin/spec-trace ./tools/spec-trace/cmd/spec-trace

test: setup lint tools ## all tests (race-checked core, BDD, determinism, containers) and the strict traceability gate
	@scripts/run-tests.sh --strict $(REPORTS) $(MODULES)

report: setup tools ## run every suite and write the requirement coverage report under reports/
	@scripts/run-tests.sh --report $(REPORTS) $(MODULES)

lint: ## gofmt and go vet over every module
	@bad=$$(gofmt -l $(MODULES)); if [ -n "$$bad" ]; then echo "gofmt would change:"; echo "$$bad"; exit 1; fi
	@for m in $(MODULES); do (cd $$m && go vet ./...) || exit 1; done
	@echo "lint: gofmt and go vet clean"

bench: ## Go benchmarks of the hot paths, raw lines to reports/bench.txt (figures: docs/benchmarks.md)
	@mkdir -p $(REPORTS)
	@scripts/bench.sh $(BENCHTIME) | tee $(REPORTS)/bench.txt

fuzz: ## every fuzz target for FUZZTIME (default 10s) each
	@scripts/fuzz.sh $(FUZZTIME) $(MODULES)

mutation: ## mutation testing of the core with gremlins, >= 95% efficacy per package (minutes; not part of test; PKGS=queue for one)
	@log=$$(scripts/mutation-selftest.sh 2>&1) || { echo "$$log"; exit 1; }
	@REPORTS=$(REPORTS) scripts/mutation.sh $(PKGS)

image: ## build the reference engine's container image locally (needs Docker)
	@test-harness/refengine/build-image.sh

chaos-smoke: ## the chaos smoke runs alone (make test runs them too): process provider, every fault, strict starvation
	@cd test-harness/chaos && go test -count=1 -run 'TestSmoke|TestInterrupt' -v ./internal/runner ./cmd/chaos

chaos: ## nightly chaos run (several minutes; container provider when Docker answers), report in $(REPORTS)/chaos
	@scripts/chaos-nightly.sh $(REPORTS)/chaos

clean: ## remove reports and built tools
	rm -rf $(REPORTS) bin
