# Shell functions that run.sh and conformance/run.sh share. Source it.

# free_port sets the variable named $1 to a TCP port that no socket uses
# (checked with ss: a port held by a connection, even one in TIME_WAIT,
# refuses some servers' bind) and that no earlier call handed out. It sets a
# variable rather than printing the port, because $(free_port) would run in a
# subshell and forget the ports it handed out.
_used_ports=" "
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		case "$_used_ports" in *" $p "*) continue ;; esac
		ss -Htan "sport = :$p" | grep -q . && continue
		_used_ports="$_used_ports$p "
		printf -v "$1" '%s' "$p"
		return
	done
}

# wait_up waits until GET $1 gets an answer, with status $2 when given.
wait_up() {
	local url=$1 want=${2:-} code
	for _ in $(seq 100); do
		code=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
		if [ "$code" != 000 ] && { [ -z "$want" ] || [ "$code" = "$want" ]; }; then
			return 0
		fi
		sleep 0.1
	done
	echo "$(basename "$0"): $url did not come up" >&2
	return 1
}

# cleanup is the scripts' EXIT trap, set once $tmp and the array pids exist:
# it stops every process in pids (TERM, then KILL after 5 s), shows the tail
# of the logs in $tmp when the script failed, removes $tmp, and exits with
# the script's status. Set INT and TERM to exit, so that it runs then too.
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	for pid in "${pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
	done
	if [ "$rc" -ne 0 ]; then
		echo "$(basename "$0"): failed; logs:" >&2
		tail -n 20 "$tmp"/*.log >&2 2>/dev/null || true
	fi
	rm -rf "$tmp"
	exit "$rc"
}
