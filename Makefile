# make test finds or installs the servers the tests start (redis-server,
# redis-cli, memcached), then runs every test with the race detector.

GO      ?= go
SERVERS := redis-server redis-cli memcached
# Every Go module of the repository: the library (benchmarks/ included, so
# that go run ./benchmarks works from the root), and the examples that keep
# their frameworks (chi, echo) out of its go.mod.
MODULES := . $(patsubst %/go.mod,%,$(wildcard examples/*/go.mod))
# Debian packages that provide SERVERS.
PACKAGES := redis-server redis-tools memcached
# The proxy's status page is tested in headless Chromium when it is there; the
# test says how to get it when it is not. make test installs it, best effort.
BROWSER := chromium

.PHONY: test servers browser vet fmt

test: servers browser
	@set -e; for m in $(MODULES); do \
		echo "== $$m"; \
		(cd $$m && $(GO) vet ./... && $(GO) test -race ./...); \
	done
	@# The benchmark harness once, quickly, so that it cannot rot; it asserts
	@# no timing (a missed target is reported, not a failure).
	$(GO) run ./benchmarks -quick

# servers checks for each binary and, when one is missing and we are root on a
# Debian-like system, installs the packages with apt-get.
servers:
	@missing=""; \
	for b in $(SERVERS); do \
		command -v $$b >/dev/null 2>&1 || [ -x /usr/bin/$$b ] || [ -x /usr/sbin/$$b ] || missing="$$missing $$b"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "make: installing$$missing with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PACKAGES) >/dev/null || exit 1; \
		else \
			echo "make: missing$$missing: install the packages $(PACKAGES), or run make test as root where apt-get is available" >&2; \
			exit 1; \
		fi; \
	fi

# browser installs Chromium for the status page test when it is missing and we
# are root with apt-get; a failure here only means that test is skipped.
browser:
	@if ! command -v $(BROWSER) >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "make: installing $(BROWSER) with apt-get (for the status page test)"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER) >/dev/null) || \
			echo "make: could not install $(BROWSER); the status page test will be skipped"; \
	fi

vet:
	@set -e; for m in $(MODULES); do (cd $$m && $(GO) vet ./...); done

fmt:
	gofmt -l -w .
