#!/bin/sh
# mk/fuzz.sh DIR SECONDS NAME... -- runs each libFuzzer target DIR/fuzz_NAME
# for SECONDS from its seed corpus, prints libFuzzer's final figures, and
# fails when any target found a crash, a leak or a timeout.
set -u
dir=$1; secs=$2; shift 2
root=$(pwd)
export AC_ROOT="$root"
failed=""
for t in "$@"; do
    mkdir -p "$dir/corpus/$t" "$dir/artifacts/$t"
    seed="$root/tests/fuzz/corpus/$t"
    [ -d "$seed" ] || seed=""
    echo "== fuzz_$t: ${secs}s"
    if "$dir/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$dir/artifacts/$t/" \
        "$dir/corpus/$t" $seed >"$dir/$t.log" 2>&1; then
        grep -E '^(Done|stat::number_of_executed_units)' "$dir/$t.log" | tr '\n' ' '; echo
    else
        echo "fuzz_$t FAILED:"; tail -40 "$dir/$t.log"
        failed="$failed $t"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz: failures in:$failed (inputs in $dir/artifacts/)"
    exit 1
fi
echo "fuzz: all $# targets ran ${secs}s with no finding"
