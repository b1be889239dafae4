#!/bin/sh
# bench/run.sh -- make bench: the figures of bench/RESULTS.md, measured in
# one go on this machine (the floor and the runner side by side). Each
# figure is the median of RUNS runs (default 5) with min-max. Not a test:
# nothing here asserts a time.
set -u
B=${BUILD:-build/bench}
RUNS=${RUNS:-5}
OUTF=${OUTF:-bench/RESULTS.md}
tmp=$(mktemp -d)
trap 'kill $ref 2>/dev/null; rm -rf "$tmp"' EXIT
ref=

export APICONFORM_APP_KEY=conformance-key APICONFORM_APP_SECRET=conformance-secret
export OTHER_KEY=other-key OTHER_SECRET=other-secret BROKE_KEY=broke-key BROKE_SECRET=broke-secret
export FROZEN_KEY=frozen-key FROZEN_SECRET=frozen-secret LIMITED_KEY=limited-key LIMITED_SECRET=limited-secret
CI=1; export CI

start_ref() {
    [ -n "$ref" ] && kill $ref 2>/dev/null && wait $ref 2>/dev/null
    rm -f "$tmp/port"
    "$B/apiconform-ref" --port 0 --quiet "$@" >"$tmp/port" 2>/dev/null &
    ref=$!
    while [ ! -s "$tmp/port" ]; do sleep 0.02; done
    port=$(head -n 1 "$tmp/port")
    url="http://127.0.0.1:$port"
}

# stats FILE FIELD: "median (min-max)" of key=value FIELD over the lines of
# FILE; "FAILED" when a measured run did not exit 0 or 1 (a figure of a
# broken run would be worthless).
stats() {
    if grep -q 'exit=[^01]' "$1" 2>/dev/null; then
        echo "FAILED: $(grep -o 'exit=[0-9]*' "$1" | sort | uniq -c | tr '\n' ' ')"
        return
    fi
    sed -n "s/.*$2=\([0-9.]*\).*/\1/p" "$1" | sort -n | awk '
        { v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit }
          m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          printf "%.1f (%.1f-%.1f)", m, v[1], v[NR] }'
}
median() {
    sed -n "s/.*$2=\([0-9.]*\).*/\1/p" "$1" | sort -n | awk '
        { v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m }'
}

# measure N FILE CMD...: N runs of CMD, one "wall_ms=.. maxrss_kb=.." line each
# (Functions share the script's variables: theirs start with an underscore.)
measure() {
    _n=$1; _f=$2; shift 2
    : >"$_f"
    _i=0
    while [ $_i -lt "$_n" ]; do
        "$B/measure" "$@" 2>/dev/null | tail -n 1 >>"$_f"
        _i=$((_i + 1))
    done
}

runner() { # SUITE JOBS [ARGS...]
    _s=$1; _j=$2; shift 2
    echo "$B/apiconform" run --base-url "$url" --suite "$_s" --app-key-env APICONFORM_APP_KEY \
        --app-secret-env APICONFORM_APP_SECRET -q --jobs "$_j" "$@"
}

echo "bench: building with -O2 into $B"
make --no-print-directory BUILD="$B" CFLAGS="-O2" "$B/apiconform" "$B/apiconform-ref" >/dev/null || exit 1
cc -O2 -o "$B/measure" bench/measure.c || exit 1
cc -O2 -o "$B/sigexit" bench/sigexit.c || exit 1
sh bench/gen-suite.sh 1000 "$tmp/s1k"
sh bench/gen-suite.sh 10000 "$tmp/s10k"

{
echo "# Benchmarks"
echo
echo "Measured by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%d), $(nproc) cores,"
echo "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)."
echo "Every figure: median of $RUNS runs (min-max). Wall time and peak RSS come from"
echo "wait4() of the measured process alone (bench/measure.c). The reference server"
echo "runs on loopback, in its own process, on the other core."
echo
echo "## 1. The full suite against the reference server"
echo
echo "\`make run\` as it is (every capability, 209 scenarios, 159 codes), wall time"
echo "including the start-up of both processes; and the runner alone."
echo
echo "| reference server timing | wall, both processes (ms) | runner alone (ms) | scenarios/s | runner peak RSS (KiB) |"
echo "|---|---|---|---|---|"
for mode in default fast; do
    if [ $mode = fast ]; then rargs="--async-ms 20 --read-timeout-ms 200"; else rargs=""; fi
    measure "$RUNS" "$tmp/full-e2e" env NO_STATE=1 OUT="$tmp/out" REF_ARGS="$rargs" RUN_ARGS=-q sh mk/run.sh "$B"
    # shellcheck disable=SC2086
    start_ref --faults $rargs --quota secret-keys=16 --quota repositories=12 --quota tags=6 \
        --quota loadbalancers=16 --quota certs=16 --quota ips-nce=16 --quota ips-nlb=16 \
        --quota services=16 --quota containers=64 --quota replicas=40
    # shellcheck disable=SC2046
    measure "$RUNS" "$tmp/full" $(runner suite 8 --allow all --account other:OTHER_KEY:OTHER_SECRET \
        --account broke:BROKE_KEY:BROKE_SECRET --account frozen:FROZEN_KEY:FROZEN_SECRET \
        --account limited:LIMITED_KEY:LIMITED_SECRET)
    ms=$(median "$tmp/full" wall_ms)
    echo "| $mode (\`$rargs\`) | $(stats "$tmp/full-e2e" wall_ms) | $(stats "$tmp/full" wall_ms) | $(awk -v m="$ms" 'BEGIN { printf "%.0f", 209000 / m }') | $(stats "$tmp/full" maxrss_kb) |"
done
echo
echo "## 2. Generated stateless suites (bench/gen-suite.sh), one request each"
echo
echo "| scenarios | --jobs | wall (ms) | scenarios/s | peak RSS (KiB) |"
echo "|---|---|---|---|---|"
start_ref
for n in 1k 10k; do
    for j in 1 8 32; do
        # shellcheck disable=SC2046
        measure "$RUNS" "$tmp/g-$n-$j" $(runner "$tmp/s$n" "$j")
        ms=$(median "$tmp/g-$n-$j" wall_ms)
        count=$([ $n = 1k ] && echo 1000 || echo 10000)
        echo "| $count | $j | $(stats "$tmp/g-$n-$j" wall_ms) | $(awk -v m="$ms" -v c="$count" 'BEGIN { printf "%.0f", c * 1000 / m }') | $(stats "$tmp/g-$n-$j" maxrss_kb) |"
    done
done
echo
for j in 1 8 32; do
    r=$(awk -v a="$(median "$tmp/g-10k-$j" wall_ms)" -v b="$(median "$tmp/g-1k-$j" wall_ms)" 'BEGIN { printf "%.2f", a / b }')
    echo "- time ratio 10,000 : 1,000 at --jobs $j: **$r** (target under 11)"
done
echo
echo "## 3. The floor: the same requests without judging"
echo
echo "The request mix of the generated suite (the token in the header), sent by"
echo "wrk (3 s per run, 2 threads, 1 for one connection) and by curl --parallel"
echo "(10,000 requests), with the runner's throughput from section 2 beside it."
echo
tok=$(curl -s -X POST "$url/api/v1/token" -H 'Content-Type: application/json' \
    -d '{"app_key":"conformance-key","app_secret":"conformance-secret"}' | sed 's/.*"token": *"\([0-9a-f]*\)".*/\1/')
cat >"$tmp/mix.lua" <<LUA
local paths = {"/api/v1/cf-no-such-api", "/api/v1/secret-keys", "/api/v1/repositories?limit=31",
  "/api/v1/secret-keys/999999999", "/api/v1/microservices/999999999",
  "/api/v1/cloud-volumes?limit=21", "/api/v1/ips/999999999", "/api/v1/nlb/loadbalancers?limit=200"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], {["Authorization"] = "Token $tok"})
end
LUA
awk -v u="$url" 'BEGIN { split("/api/v1/cf-no-such-api /api/v1/secret-keys /api/v1/repositories?limit=31 /api/v1/secret-keys/999999999 /api/v1/microservices/999999999 /api/v1/cloud-volumes?limit=21 /api/v1/ips/999999999 /api/v1/nlb/loadbalancers?limit=200", p, " ")
    for (i = 0; i < 10000; i++) printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", u, p[i % 8 + 1] }' >"$tmp/curl.cfg"
echo "| connections | wrk (req/s) | curl --parallel (req/s) | runner (scenarios/s) | runner / wrk | runner / curl |"
echo "|---|---|---|---|---|---|"
for c in 1 8 32; do
    : >"$tmp/wrk-$c"
    i=0
    while [ $i -lt "$RUNS" ]; do
        if command -v wrk >/dev/null 2>&1; then
            wrk -t "$([ "$c" -lt 2 ] && echo 1 || echo 2)" -c "$c" -d 3s -s "$tmp/mix.lua" "$url/" 2>/dev/null |
                sed -n 's/^Requests\/sec: *\([0-9.]*\).*/rps=\1/p' >>"$tmp/wrk-$c"
        fi
        i=$((i + 1))
    done
    measure "$RUNS" "$tmp/curl-$c" curl -s --parallel --parallel-immediate --parallel-max "$c" \
        -K "$tmp/curl.cfg" -H "Authorization: Token $tok"
    wrk_rps=$(median "$tmp/wrk-$c" rps)
    curl_rps=$(awk -v m="$(median "$tmp/curl-$c" wall_ms)" 'BEGIN { printf "%.0f", 10000000 / m }')
    run_rps=$(awk -v m="$(median "$tmp/g-10k-$c" wall_ms)" 'BEGIN { printf "%.0f", 10000000 / m }')
    echo "| $c | $(stats "$tmp/wrk-$c" rps) | $curl_rps | $run_rps | $(awk -v a="$run_rps" -v b="$wrk_rps" 'BEGIN { printf "%.0f%%", b ? 100 * a / b : 0 }') | $(awk -v a="$run_rps" -v b="$curl_rps" 'BEGIN { printf "%.0f%%", 100 * a / b }') |"
done
echo
echo "## 4. Latency-bound: --latency-ms 50"
echo
echo "The shipped suite with no capability allowed (its 89 stateless scenarios;"
echo "the others are skipped), against a server that adds 50 ms to every answer"
echo "(read timeout 200 ms for the stalled-body scenario). Ideal: the larger of"
echo "requests x 50 ms / jobs and the longest scenario alone, plus the token and"
echo "preflight requests (2 x 50 ms)."
echo
start_ref --latency-ms 50 --read-timeout-ms 200
echo "| --jobs | wall (ms) | ideal (ms) | wall / ideal |"
echo "|---|---|---|---|"
for j in 1 16; do
    # shellcheck disable=SC2046
    measure "$RUNS" "$tmp/lat-$j" $(runner suite "$j" --json "$tmp/lat-$j.json")
    ideal=$(python3 - "$tmp/lat-$j.json" "$j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); jobs = int(sys.argv[2])
rs = [r for r in d["results"] if r["verdict"] != "skipped"]
reqs = sum(r["transcript"].count("\n[") + 1 for r in rs if r["transcript"])
longest = max(r["duration_ms"] for r in rs)
print("%d %d" % (max(reqs * 50 / jobs, longest) + 100, reqs))
PY
)
    echo "| $j | $(stats "$tmp/lat-$j" wall_ms) | ${ideal% *} (${ideal#* } requests) | $(awk -v m="$(median "$tmp/lat-$j" wall_ms)" -v i="${ideal% *}" 'BEGIN { printf "%.2f", m / i }') |"
done
echo
echo "## 5. Writing the reports of 10,000 results"
echo
start_ref
"$B/apiconform" run --base-url "$url" --suite "$tmp/s10k" --app-key-env APICONFORM_APP_KEY \
    --app-secret-env APICONFORM_APP_SECRET -q --json "$tmp/r10k.json" >/dev/null
echo "From a results file of $(wc -c <"$tmp/r10k.json") bytes (\`apiconform report --from\`: reading it included)."
echo
echo "| output | wall (ms) | peak RSS (KiB) |"
echo "|---|---|---|"
for f in junit html markdown json; do
    measure "$RUNS" "$tmp/rep-$f" "$B/apiconform" report --from "$tmp/r10k.json" --$f "$tmp/out.$f"
    echo "| --$f | $(stats "$tmp/rep-$f" wall_ms) | $(stats "$tmp/rep-$f" maxrss_kb) |"
done
measure "$RUNS" "$tmp/rep-all" "$B/apiconform" report --from "$tmp/r10k.json" --junit "$tmp/a.xml" \
    --html "$tmp/a.html" --markdown "$tmp/a.md" --json "$tmp/a.json"
echo "| all four | $(stats "$tmp/rep-all" wall_ms) | $(stats "$tmp/rep-all" maxrss_kb) |"
measure "$RUNS" "$tmp/run-rep" $(runner "$tmp/s10k" 8 --junit "$tmp/b.xml" --html "$tmp/b.html" --markdown "$tmp/b.md" --json "$tmp/b.json")
echo
echo "The 10,000-scenario run of section 2 at --jobs 8 writing all four reports itself:"
echo "$(stats "$tmp/run-rep" wall_ms) ms, peak RSS $(stats "$tmp/run-rep" maxrss_kb) KiB."
echo
BUILD="$B" RUNS="$RUNS" sh bench/proxy.sh
echo "## 7. Cancellation: SIGTERM against a target that never answers"
echo
echo "CI cancels a job with SIGTERM and kills it a few seconds later. A listener"
echo "that reads every request and never answers (bench/sigexit.c) stands in for"
echo "the target; once the requests are in flight the runner gets SIGTERM, and"
echo "the time from the signal to its exit is measured. Every run must exit 3"
echo "with all four reports written and marked incomplete. The interrupt budget"
echo "is the default, $(sed -n 's/^#define ENGINE_INTERRUPT_BUDGET_MS //p' runners/engine.h) ms."
echo
echo "| in flight at the signal | signal to exit (ms) | exit status, reports |"
echo "|---|---|---|"
export SIGNAL_TOKEN=bench-signal-token-0123456789
for sc in preflight probes fixtures teardown; do
    suite=suite
    case $sc in
    preflight) what="the preflight"; after=1; extra="" ;;
    probes) what="8 probes (stateless suite, --no-preflight)"; after=8; extra="--no-preflight" ;;
    fixtures) what="8 scenarios' fixture setup (--allow all, --no-preflight)"; after=8; extra="--no-preflight --allow all" ;;
    teardown) what="a probe, then its teardown meets the silent target (tests/data/signals/probe)"
        after=1; extra="--no-preflight --allow all --jobs 1"; suite=tests/data/signals/probe ;;
    esac
    : >"$tmp/sig-$sc"
    ok=yes
    i=0
    while [ $i -lt "$RUNS" ]; do
        rm -f "$tmp/sig.xml" "$tmp/sig.html" "$tmp/sig.md" "$tmp/sig.json"
        # shellcheck disable=SC2086
        "$B/sigexit" "$after" "$B/apiconform" run --base-url @URL@ --suite "$suite" --token-env SIGNAL_TOKEN \
            -q $extra --junit "$tmp/sig.xml" --html "$tmp/sig.html" --markdown "$tmp/sig.md" \
            --json "$tmp/sig.json" 2>/dev/null | tail -n 1 >>"$tmp/sig-$sc"
        tail -n 1 "$tmp/sig-$sc" | grep -q 'status=3' || ok=no
        [ -s "$tmp/sig.xml" ] && [ -s "$tmp/sig.html" ] && [ -s "$tmp/sig.md" ] || ok=no
        grep -q '"incomplete": true' "$tmp/sig.json" 2>/dev/null || ok=no
        i=$((i + 1))
    done
    echo "| $what | $(stats "$tmp/sig-$sc" stop_ms) | $([ $ok = yes ] && echo "3, all four written, incomplete" || echo "FAILED: $(grep -o 'status=[0-9]*' "$tmp/sig-$sc" | sort | uniq -c | tr '\n' ' ')") |"
done
} | tee "$OUTF.tmp"
mv "$OUTF.tmp" "$OUTF"
echo "bench: figures in $OUTF"
