#!/usr/bin/env bash
# Side-by-side benchmark of cache hits through nginx (proxy_cache), Varnish and
# plugcache proxy (memory store) on one 1 KiB object, with wrk, all on
# 127.0.0.1. See README.md. Needs nginx, varnishd, wrk, curl and go, with ss,
# pgrep and getconf (iproute2, procps, libc-bin):
#
#	apt-get install -y nginx varnish wrk
#	benchmarks/proxies/run.sh
#
# Environment: RUNS (default 3), DURATION (default 10s), THREADS (2), CONNS (64).
set -euo pipefail

RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

for tool in nginx varnishd wrk curl go ss pgrep getconf; do
	command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] ||
		{ echo "run.sh: $tool not found (apt-get install -y nginx varnish wrk iproute2 procps)" >&2; exit 1; }
done
export PATH="$PATH:/usr/sbin"

tmp=$(mktemp -d /tmp/plugcache-proxies.XXXXXX)
chmod 755 "$tmp" # nginx workers and varnish's child drop privileges when run as root
pids=()

# shellcheck source=lib.sh
. "$here/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port origin_port
free_port nginx_port
free_port varnish_port
free_port plugcache_port

echo "== building origin and plugcache"
(cd "$root" && go build -o "$tmp/origin" ./benchmarks/proxies/origin && go build -o "$tmp/plugcache" ./cmd/plugcache)

echo "== starting origin on :$origin_port"
"$tmp/origin" -addr "127.0.0.1:$origin_port" >"$tmp/origin.log" 2>&1 &
pids+=($!)
origin_pid=$!
wait_up "http://127.0.0.1:$origin_port/obj" 200

echo "== starting nginx on :$nginx_port"
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    proxy_cache_path $tmp/nginx/cache levels=1:2 keys_zone=bench:10m max_size=64m inactive=60m use_temp_path=off;
    upstream origin {
        server 127.0.0.1:$origin_port;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            proxy_pass http://origin;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_cache bench;
            # Cache-Control from the origin wins; this only covers responses without it.
            proxy_cache_valid 200 1m;
            add_header X-Cache \$upstream_cache_status always;
        }
    }
}
EOF
nginx -p "$tmp/nginx" -e "$tmp/nginx.log" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' >>"$tmp/nginx.log" 2>&1 &
pids+=($!)
nginx_pid=$!
wait_up "http://127.0.0.1:$nginx_port/obj" 200

echo "== starting varnish on :$varnish_port"
varnishd -F -a "127.0.0.1:$varnish_port" -b "127.0.0.1:$origin_port" -s malloc,64m \
	-n "$tmp/varnish" >"$tmp/varnish.log" 2>&1 &
pids+=($!)
varnish_pid=$!
wait_up "http://127.0.0.1:$varnish_port/obj" 200

echo "== starting plugcache on :$plugcache_port"
printf 'backend: {cache: {store: memory}}\n' >"$tmp/app-config.yaml"
"$tmp/plugcache" proxy --config "$tmp/app-config.yaml" --upstream "http://127.0.0.1:$origin_port" \
	--listen "127.0.0.1:$plugcache_port" --log-level warn >"$tmp/plugcache.log" 2>&1 &
pids+=($!)
plugcache_pid=$!
wait_up "http://127.0.0.1:$plugcache_port/obj" 200

# warm requests the object twice and checks that the second is a cache hit.
warm() {
	local name=$1 port=$2 h
	curl -s -o /dev/null "http://127.0.0.1:$port${path[$name]}"
	h=$(curl -s -D - -o /dev/null "http://127.0.0.1:$port${path[$name]}" | tr -d '\r')
	case $name in
	nginx) grep -qi '^x-cache: hit' <<<"$h" ;;
	varnish) grep -Eqi '^x-varnish: [0-9]+ [0-9]+$' <<<"$h" ;;
	plugcache) grep -i '^cache-status:' <<<"$h" | grep -qi 'hit' ;;
	origin | origin-hit) true ;;
	esac || { echo "run.sh: $name: second request is not a cache hit:" >&2; echo "$h" >&2; return 1; }
	echo "   $name: $(grep -Ei '^(x-cache|x-varnish|age|cache-status):' <<<"$h" | paste -sd ' ' -)"
}

# origin-hit is the origin serving, from bytes built beforehand, the fields
# and body a plugcache hit writes: net/http's own speed for that response.
targets=(origin origin-hit nginx varnish plugcache)
declare -A port=([origin]=$origin_port [origin-hit]=$origin_port [nginx]=$nginx_port [varnish]=$varnish_port [plugcache]=$plugcache_port)
declare -A path=([origin]=/obj [origin-hit]=/hit [nginx]=/obj [varnish]=/obj [plugcache]=/obj)
declare -A pid=([origin]=$origin_pid [origin-hit]=$origin_pid [nginx]=$nginx_pid [varnish]=$varnish_pid [plugcache]=$plugcache_pid)
declare -A rps=() cpu=() wrkcpu=() idles=()

# cpu_ticks prints the CPU time, user and system, in clock ticks, that a
# process and all its descendants (nginx's workers, Varnish's child) have used,
# with that of their children that have exited (fields 14 to 17 of
# /proc/PID/stat, counted after the command name, which may hold spaces).
cpu_ticks() {
	local p=$1 total child
	total=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13 + $14 + $15}' || true)
	total=${total:-0} # the process has gone
	for child in $(pgrep -P "$p" || true); do
		total=$((total + $(cpu_ticks "$child")))
	done
	echo "$total"
}
ticks_per_second=$(getconf CLK_TCK)

# waited_ticks prints the CPU time, user and system, of this shell's children
# that have exited and been waited for (fields 16 and 17 of /proc/$$/stat):
# wrk's, once it is done.
waited_ticks() { sed 's/.*) //' "/proc/$$/stat" | awk '{print $14 + $15}'; }

# idle_ticks prints the machine's idle and total CPU ticks so far, from
# /proc/stat: whether the cores were saturated during a run.
idle_ticks() { awk '/^cpu / {t = 0; for (i = 2; i <= NF; i++) t += $i; print $5 + $6, t}' /proc/stat; }

echo "== warming"
for t in "${targets[@]}"; do warm "$t" "${port[$t]}"; done

for run in $(seq "$RUNS"); do
	for t in "${targets[@]}"; do
		before=$(cpu_ticks "${pid[$t]}")
		wrk_before=$(waited_ticks)
		read -r idle_before total_before < <(idle_ticks)
		out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" "http://127.0.0.1:${port[$t]}${path[$t]}")
		read -r idle_after total_after < <(idle_ticks)
		wrk_after=$(waited_ticks)
		after=$(cpu_ticks "${pid[$t]}")
		r=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
		n=$(awk '/ requests in / {print $1}' <<<"$out")
		if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then
			echo "run.sh: $t run $run had errors:" >&2
			echo "$out" >&2
		fi
		[ -n "$r" ] && [ "${n:-0}" -gt 0 ] || { echo "run.sh: no Requests/sec or request count from wrk for $t" >&2; echo "$out" >&2; exit 1; }
		rps[$t]="${rps[$t]:-} $r"
		c=$(awk -v d=$((after - before)) -v hz="$ticks_per_second" -v n="$n" 'BEGIN {printf "%.2f", d / hz * 1e6 / n}')
		cw=$(awk -v d=$((wrk_after - wrk_before)) -v hz="$ticks_per_second" -v n="$n" 'BEGIN {printf "%.2f", d / hz * 1e6 / n}')
		idle=$(awk -v i=$((idle_after - idle_before)) -v t=$((total_after - total_before)) 'BEGIN {printf "%.1f", (t > 0 ? 100 * i / t : 0)}')
		cpu[$t]="${cpu[$t]:-} $c"
		wrkcpu[$t]="${wrkcpu[$t]:-} $cw"
		idles[$t]="${idles[$t]:-} $idle"
		printf '   run %d %-10s %10s req/s %7s µs CPU/request, wrk %7s µs/request, %5s%% idle\n' "$run" "$t" "$r" "$c" "$cw" "$idle"
	done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
declare -A med=() medcpu=() medwrk=() medidle=()
for t in "${targets[@]}"; do
	med[$t]=$(median <<<"${rps[$t]}")
	medcpu[$t]=$(median <<<"${cpu[$t]}")
	medwrk[$t]=$(median <<<"${wrkcpu[$t]}")
	medidle[$t]=$(median <<<"${idles[$t]}")
done

table=$({
	echo "| proxy | median req/s | vs nginx | vs varnish | vs origin-hit | server CPU µs/request | CPU vs nginx | wrk CPU µs/request | idle |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	for t in nginx varnish plugcache origin origin-hit; do
		label=$t
		[ "$t" = origin ] && label="origin (direct, reference)"
		[ "$t" = origin-hit ] && label="origin-hit (direct: a plugcache hit's bytes from Go net/http)"
		awk -v l="$label" -v m="${med[$t]}" -v n="${med[nginx]}" -v v="${med[varnish]}" -v o="${med[origin-hit]}" \
			-v c="${medcpu[$t]}" -v cn="${medcpu[nginx]}" -v cw="${medwrk[$t]}" -v idle="${medidle[$t]}" \
			'BEGIN {printf "| %s | %.0f | %.2f | %.2f | %.2f | %.1f | %.2f | %.1f | %.1f%% |\n", l, m, m/n, m/v, m/o, c, c/cn, cw, idle}'
	done
})

versions=$(
	nginx -v 2>&1
	varnishd -V 2>&1 | head -n 1
	wrk -v 2>&1 | head -n 1 || true
	go version
)

echo
echo "$table"

{
	echo "# Cache hits through caching reverse proxies"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), \`wrk -t$THREADS -c$CONNS -d$DURATION\`, median of $RUNS runs per proxy, runs alternated."
	echo "One 1 KiB object (\`Cache-Control: public, max-age=3600\`), every request a cache hit; wrk, proxy and origin share the same cores."
	echo "Server CPU is the user and system time of the server's processes (nginx's workers, Varnish's child) over the requests wrk counted:"
	echo "what each hit costs the server itself, whatever share of the cores wrk took in that run. wrk CPU is the load generator's"
	echo "own user and system time over the same requests; idle is the share of the machine's CPU time left idle during the run,"
	echo "from /proc/stat: near 0% means the cores were saturated, and req/s then follows server plus wrk CPU per request."
	echo
	echo "$table"
	echo
	echo "Per-run req/s:"
	echo
	for t in "${targets[@]}"; do echo "- $t:${rps[$t]}"; done
	echo
	echo "Per-run server CPU, µs per request:"
	echo
	for t in "${targets[@]}"; do echo "- $t:${cpu[$t]}"; done
	echo
	echo "Per-run wrk CPU, µs per request, and idle share of the machine, %:"
	echo
	for t in "${targets[@]}"; do echo "- $t:${wrkcpu[$t]};${idles[$t]}"; done
	echo
	echo "Versions:"
	echo
	echo '```'
	echo "$versions"
	echo '```'
} >"$here/results.md"
echo
echo "wrote $here/results.md"
