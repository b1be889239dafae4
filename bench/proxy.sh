#!/bin/sh
# bench/proxy.sh -- section 6 of bench/RESULTS.md: apiconform proxy in front
# of the reference server against the same traffic sent directly. Prints
# Markdown on stdout (bench/run.sh appends it; alone: sh bench/proxy.sh).
# Each figure is the median of RUNS runs (default 5) with min-max; the
# proxy's peak RSS is its VmHWM just before it is stopped. Not a test:
# nothing here asserts a time.
set -u
B=${BUILD:-build/bench}
RUNS=${RUNS:-5}
tmp=$(mktemp -d)
ref=
px=
trap 'kill $ref $px 2>/dev/null; rm -rf "$tmp"' EXIT

export APICONFORM_APP_KEY=conformance-key APICONFORM_APP_SECRET=conformance-secret
export OTHER_KEY=other-key OTHER_SECRET=other-secret BROKE_KEY=broke-key BROKE_SECRET=broke-secret
export FROZEN_KEY=frozen-key FROZEN_SECRET=frozen-secret LIMITED_KEY=limited-key LIMITED_SECRET=limited-secret
CI=1; export CI

[ -x "$B/apiconform" ] || make --no-print-directory BUILD="$B" CFLAGS="-O2" "$B/apiconform" "$B/apiconform-ref" >/dev/null || exit 1
[ -x "$B/measure" ] || cc -O2 -o "$B/measure" bench/measure.c || exit 1
[ -d "$tmp/s10k" ] || sh bench/gen-suite.sh 10000 "$tmp/s10k"

start_ref() {
    [ -n "$ref" ] && kill $ref 2>/dev/null && wait $ref 2>/dev/null
    rm -f "$tmp/port"
    "$B/apiconform-ref" --port 0 --quiet "$@" >"$tmp/port" 2>/dev/null &
    ref=$!
    while [ ! -s "$tmp/port" ]; do sleep 0.02; done
    url="http://127.0.0.1:$(head -n 1 "$tmp/port")"
}
start_proxy() {
    rm -f "$tmp/pout"
    "$B/apiconform" proxy --listen 127.0.0.1:0 --upstream "$url" -q --json "$tmp/proxy.json" \
        >"$tmp/pout" 2>/dev/null &
    px=$!
    while [ ! -s "$tmp/pout" ]; do sleep 0.02; done
    purl=$(sed -n 's/^listening on //p' "$tmp/pout")
}
# stop_proxy: its peak RSS (KiB) into $hwm, its last line into $plast
stop_proxy() {
    hwm=$(awk '/^VmHWM:/ { print $2 }' /proc/$px/status)
    kill -TERM $px
    wait $px
    plast=$(tail -n 1 "$tmp/pout")
    px=
}
stats() {
    sed -n "s/.*$2=\([0-9.]*\).*/\1/p" "$1" | sort -n | awk '
        { v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit }
          m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          printf "%.1f (%.1f-%.1f)", m, v[1], v[NR] }'
}
median() {
    sed -n "s/.*$2=\([0-9.]*\).*/\1/p" "$1" | sort -n | awk '
        { v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m }'
}
suite_run() { # BASE-URL: the shipped suite as mk/run.sh runs it
    "$B/measure" "$B/apiconform" run --base-url "$1" --allow all \
        --app-key-env APICONFORM_APP_KEY --app-secret-env APICONFORM_APP_SECRET \
        --account other:OTHER_KEY:OTHER_SECRET --account broke:BROKE_KEY:BROKE_SECRET \
        --account frozen:FROZEN_KEY:FROZEN_SECRET --account limited:LIMITED_KEY:LIMITED_SECRET -q \
        2>/dev/null | tail -n 1
}

echo "## 6. apiconform proxy in front of the reference server"
echo
echo "The same traffic sent directly and through \`apiconform proxy\` (bench/proxy.sh):"
echo "the proxy judges every error answer and keeps its groups. Added latency per"
echo "request = (wall through the proxy - wall direct) / requests, at one request"
echo "at a time (curl --parallel-max 1, keep-alive on both legs)."
echo
echo "| traffic | requests | direct wall (ms) | through the proxy wall (ms) | direct req/s | proxy req/s | added per request (ms) | proxy peak RSS (KiB) |"
echo "|---|---|---|---|---|---|---|---|"

# The shipped suite, reference server with fast timings (section 1).
rargs="--faults --async-ms 20 --read-timeout-ms 200 --quota secret-keys=16 --quota repositories=12
 --quota tags=6 --quota loadbalancers=16 --quota certs=16 --quota ips-nce=16 --quota ips-nlb=16
 --quota services=16 --quota containers=64 --quota replicas=40"
: >"$tmp/sd"; : >"$tmp/sp"; hw=""
i=0
while [ $i -lt "$RUNS" ]; do
    # shellcheck disable=SC2086
    start_ref $rargs
    suite_run "$url" >>"$tmp/sd"
    # shellcheck disable=SC2086
    start_ref $rargs
    start_proxy
    suite_run "$purl" >>"$tmp/sp"
    stop_proxy
    hw="$hw hwm=$hwm"
    n=$(echo "$plast" | sed -n 's/^\([0-9]*\) requests.*/\1/p')
    i=$((i + 1))
done
echo "$hw" | tr ' ' '\n' >"$tmp/shw"
d=$(median "$tmp/sd" wall_ms); p=$(median "$tmp/sp" wall_ms)
echo "| shipped suite, --jobs 8 (exit $(sed -n 's/.*exit=\([0-9]*\).*/\1/p' "$tmp/sp" | sort -u | tr '\n' ' ')) | $n | $(stats "$tmp/sd" wall_ms) | $(stats "$tmp/sp" wall_ms) | $(awk -v m="$d" -v n="$n" 'BEGIN { printf "%.0f", n * 1000 / m }') | $(awk -v m="$p" -v n="$n" 'BEGIN { printf "%.0f", n * 1000 / m }') | $(awk -v a="$p" -v b="$d" -v n="$n" 'BEGIN { printf "%.3f", (a - b) / n }') | $(stats "$tmp/shw" hwm) |"

# Generated load: 10,000 stateless scenarios (bench/gen-suite.sh) by the
# runner, and 10,000 requests of the same mix by curl --parallel.
start_ref
tok=$(curl -s -X POST "$url/api/v1/token" -H 'Content-Type: application/json' \
    -d '{"app_key":"conformance-key","app_secret":"conformance-secret"}' | sed 's/.*"token": *"\([0-9a-f]*\)".*/\1/')
mkcfg() { # BASE-URL FILE
    awk -v u="$1" 'BEGIN { split("/api/v1/cf-no-such-api /api/v1/secret-keys /api/v1/repositories?limit=31 /api/v1/secret-keys/999999999 /api/v1/microservices/999999999 /api/v1/cloud-volumes?limit=21 /api/v1/ips/999999999 /api/v1/nlb/loadbalancers?limit=200", p, " ")
        for (i = 0; i < 10000; i++) printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", u, p[i % 8 + 1] }' >"$2"
}
for kind in runner curl1 curl8; do
    : >"$tmp/gd"; : >"$tmp/gp"; hw=""
    i=0
    while [ $i -lt "$RUNS" ]; do
        start_proxy
        for target in "$url" "$purl"; do
            out="$tmp/gd"; [ "$target" = "$purl" ] && out="$tmp/gp"
            case $kind in
            runner)
                "$B/measure" "$B/apiconform" run --base-url "$target" --suite "$tmp/s10k" \
                    --app-key-env APICONFORM_APP_KEY --app-secret-env APICONFORM_APP_SECRET -q \
                    --jobs 8 2>/dev/null | tail -n 1 >>"$out" ;;
            curl*)
                mkcfg "$target" "$tmp/curl.cfg"
                "$B/measure" curl -s --parallel --parallel-immediate --parallel-max "${kind#curl}" \
                    -K "$tmp/curl.cfg" -H "Authorization: Token $tok" | tail -n 1 >>"$out" ;;
            esac
        done
        stop_proxy
        hw="$hw hwm=$hwm"
        n=$(echo "$plast" | sed -n 's/^\([0-9]*\) requests.*/\1/p')
        i=$((i + 1))
    done
    echo "$hw" | tr ' ' '\n' >"$tmp/ghw"
    d=$(median "$tmp/gd" wall_ms); p=$(median "$tmp/gp" wall_ms)
    case $kind in
    runner) label="10,000 generated scenarios, runner --jobs 8" ;;
    curl1) label="10,000 requests, curl --parallel-max 1" ;;
    curl8) label="10,000 requests, curl --parallel-max 8" ;;
    esac
    echo "| $label | $n | $(stats "$tmp/gd" wall_ms) | $(stats "$tmp/gp" wall_ms) | $(awk -v m="$d" -v n="$n" 'BEGIN { printf "%.0f", n * 1000 / m }') | $(awk -v m="$p" -v n="$n" 'BEGIN { printf "%.0f", n * 1000 / m }') | $(awk -v a="$p" -v b="$d" -v n="$n" 'BEGIN { printf "%.3f", (a - b) / n }') | $(stats "$tmp/ghw" hwm) |"
done
echo
echo "Last proxy line of the curl --parallel-max 8 runs: \`$plast\`"
