# Shared by scripts/bench-intake and scripts/bench-e2e: sourced, not run. Expects `root`, `tmp` (set by the
# caller before the helpers are used) and the caller's name in BENCH_NAME.

log() { printf '==> %s\n' "$*"; }
die() { printf '%s: %s\n' "$BENCH_NAME" "$*" >&2; exit 2; }

# --- tools -----------------------------------------------------------------------------------------------
nginx_bin="$(command -v nginx || true)"
[ -z "$nginx_bin" ] && [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx
if ! command -v wrk >/dev/null 2>&1 || [ -z "$nginx_bin" ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    log "installing wrk nginx-light"
    if ! $sudo apt-get install -y -q wrk nginx-light >/dev/null; then
        $sudo apt-get update -q >/dev/null
        $sudo apt-get install -y -q wrk nginx-light >/dev/null
    fi
    nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
fi
command -v wrk >/dev/null 2>&1 || die "wrk not available"
[ -x "$nginx_bin" ] || die "nginx not available"

swift_bin="$(command -v swift || true)"
[ -z "$swift_bin" ] && [ -x /opt/swift/usr/bin/swift ] && swift_bin=/opt/swift/usr/bin/swift
tgbotd=.build-release/release/tgbotd
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    [ -n "$swift_bin" ] || die "swift not found"
    # The production build (scripts/build-release, as deploy/README.md builds it): static Swift stdlib, functions
    # laid out by scripts/link/tgbotd.order, so idle RSS is what a deployment sees.
    log "building $BENCH_PRODUCTS (scripts/build-release: release, static Swift stdlib, .build-release)"
    # shellcheck disable=SC2086
    bash "$root/scripts/build-release" $BENCH_PRODUCTS 2>&1 | tail -n 3
fi
[ -x "$tgbotd" ] || die "$tgbotd missing"

# A port nothing listens on (connection refused) in 20000-39999.
free_port() {
    local p
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    done
    return 1
}

# Sends one raw request (Connection: close) from a file and prints the status code of the answer.
http_status() { # port request-file
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        cat "$2" >&3
        IFS= read -r -t 5 line <&3 || exit 1
        set -- $line
        printf '%s\n' "${2:-}"
    ) 2>/dev/null || true
}

# Waits (at most 10 s) for a port to accept connections while `pid` is alive.
wait_port() { # port pid name
    for _ in $(seq 1 200); do
        if ! kill -0 "$2" 2>/dev/null; then echo "$BENCH_NAME: $3 exited during start-up" >&2; return 1; fi
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    echo "$BENCH_NAME: $3 did not listen on port $1 within 10 s" >&2
    return 1
}

kb() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status"; }

