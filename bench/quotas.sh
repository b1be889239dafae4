#!/bin/sh
# bench/quotas.sh -- issue 12's figures: the shipped suite against
# apiconform-ref --strict (no extension endpoint) from
# profiles/reference-strict.json, every capability and account, the default
# --jobs, with the strict mode's small quotas and with large ones, at the
# server's default timing and at --latency-ms 50: wall time of the run (the
# runner's own "requests sent in S s" line) and the requests it sent.
# Median of RUNS runs (default 3), min-max. Prints a Markdown table. Not a
# test: nothing here asserts a time.
set -u
B=${BUILD:-build}
RUNS=${RUNS:-3}
tmp=$(mktemp -d)
ref=
trap 'kill $ref 2>/dev/null; rm -rf "$tmp"' EXIT
export APICONFORM_APP_KEY=conformance-key APICONFORM_APP_SECRET=conformance-secret
export OTHER_KEY=other-key OTHER_SECRET=other-secret BROKE_KEY=broke-key BROKE_SECRET=broke-secret
export FROZEN_KEY=frozen-key FROZEN_SECRET=frozen-secret LIMITED_KEY=limited-key LIMITED_SECRET=limited-secret
CI=1; export CI
LARGE="loadbalancers=16 services=16 replicas=40 repositories=12 certs=16 ips-nce=16 ips-nlb=16 secret-keys=16 containers=64 tags=6"

median() { sort -n | awk '{v[NR]=$1} END {printf "%s (%s-%s)", v[int((NR+1)/2)], v[1], v[NR]}'; }

measure() { # label latency quotas...
    label=$1 lat=$2; shift 2
    sargs="" rargs=""
    for q in "$@"; do sargs="$sargs --quota $q"; rargs="$rargs --quota $q"; done
    : >"$tmp/w"; : >"$tmp/r"; res=""
    i=0
    while [ $i -lt "$RUNS" ]; do
        rm -f "$tmp/port"
        # shellcheck disable=SC2086
        "$B/apiconform-ref" --port 0 --quiet --strict --faults --latency-ms "$lat" $sargs \
            >"$tmp/port" 2>/dev/null &
        ref=$!
        while [ ! -s "$tmp/port" ]; do sleep 0.02; done
        # shellcheck disable=SC2086
        "$B/apiconform" run --profile profiles/reference-strict.json $rargs \
            --base-url "http://127.0.0.1:$(head -n 1 "$tmp/port")" >"$tmp/out" 2>&1
        kill $ref; wait $ref 2>/dev/null; ref=
        sed -n 's/^\([0-9]*\) requests sent in \([0-9.]*\) s$/\1 \2/p' "$tmp/out" >"$tmp/line"
        awk '{print $2}' "$tmp/line" >>"$tmp/w"
        awk '{print $1}' "$tmp/line" >>"$tmp/r"
        res=$(tail -n 1 "$tmp/out")
        i=$((i + 1))
    done
    printf '| %s | %s | %s | %s | %s |\n' "$label" "$lat" "$(median <"$tmp/w")" \
        "$(median <"$tmp/r")" "$res"
}

echo "| quotas | --latency-ms | wall (s) | requests sent | last run's tally |"
echo "|---|---|---|---|---|"
# shellcheck disable=SC2086
measure large 0 $LARGE
measure small 0
# shellcheck disable=SC2086
measure large 50 $LARGE
measure small 50
