#!/usr/bin/env bash
# Runs the independent HTTP caching test suite, http-tests/cache-tests (the
# suite behind cache-tests.fyi), against the plugcache proxy as an RFC 9111
# shared cache: store memory, no defaultTtl, every other setting at its
# default. Everything listens on 127.0.0.1, on free ports.
#
#	CACHE_TESTS=/path/to/cache-tests benchmarks/proxies/conformance/run.sh [--fails]
#
# CACHE_TESTS is a checkout of https://github.com/http-tests/cache-tests
# (it is not part of this repository); it needs node. The results go to
# $OUT (default: a temporary file), and the counts, as cache-tests.fyi
# counts them, to stdout. See ../conformance.md for the last run, beside
# nginx and Varnish.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
: "${CACHE_TESTS:?set CACHE_TESTS to a checkout of https://github.com/http-tests/cache-tests}"
suite=$(cd "$CACHE_TESTS" && pwd)
[ -f "$suite/test-engine/cli.mjs" ] || { echo "conformance: $suite has no test-engine/cli.mjs" >&2; exit 1; }
for tool in node go ss curl; do
	command -v "$tool" >/dev/null || { echo "conformance: $tool not found" >&2; exit 1; }
done

tmp=$(mktemp -d /tmp/plugcache-conformance.XXXXXX)
out=${OUT:-$tmp/results.json}
pids=()

# shellcheck source=../lib.sh
. "$here/../lib.sh"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port origin_port
free_port proxy_port

echo "== building plugcache" >&2
(cd "$root" && go build -o "$tmp/plugcache" ./cmd/plugcache)
cat >"$tmp/app-config.yaml" <<YAML
backend:
  cache:
    store: memory
proxy:
  listen: 127.0.0.1:$proxy_port
  upstream: http://127.0.0.1:$origin_port
YAML

unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy
echo "== starting the suite's origin on :$origin_port and plugcache on :$proxy_port" >&2
(cd "$suite" && exec env npm_config_port="$origin_port" npm_config_protocol=http npm_config_pidfile="$tmp/origin.pid" node test-engine/server/server.mjs) >"$tmp/origin.log" 2>&1 &
pids+=($!)
"$tmp/plugcache" proxy --config "$tmp/app-config.yaml" >"$tmp/plugcache.log" 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:$origin_port/"
wait_up "http://127.0.0.1:$proxy_port/"

echo "== running the suite (some tests wait on 2-3 s timings)" >&2
(cd "$suite" && env npm_config_base="http://127.0.0.1:$proxy_port" npm_package_config_base="http://127.0.0.1:$proxy_port" \
	npm_config_id= npm_package_config_id= node --no-warnings test-engine/cli.mjs) >"$out" 2>"$tmp/suite.log"
node "$here/summarize.mjs" "$suite" "$out" "$@"
[ -n "${OUT:-}" ] && echo "results: $out" >&2
exit 0
