# make test finds or installs the servers the tests start (redis-server,
# redis-cli, memcached), then runs every test with the race detector.

GO      ?= go
SERVERS := redis-server redis-cli memcached
# Debian packages that provide SERVERS.
PACKAGES := redis-server redis-tools memcached

.PHONY: test servers vet fmt

test: servers
	$(GO) vet ./...
	$(GO) test -race ./...

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

vet:
	$(GO) vet ./...

fmt:
	gofmt -l -w .
