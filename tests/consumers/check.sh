#!/bin/sh
# tests/consumers/check.sh BUILD -- the JUnit that apiconform writes, read by
# the parsers CI users live in (test-results-parser, junit2json; versions
# pinned in package-lock.json, installed from the npm registry into
# BUILD/consumers), must count what apiconform counted: the golden reports,
# a partial run (no --allow: most scenarios skipped) and a failing run (a
# mutated reference server), each against its own JSON results.
# Needs node and npm; `make consumers` runs it, and .ci/run does.
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$build/consumers"
mkdir -p "$work"
work=$(cd "$work" && pwd)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "consumers: node and npm are needed (Debian: apt-get install nodejs npm)" >&2
    exit 2
fi
cp "$here/package.json" "$here/package-lock.json" "$here/check.js" "$work/"
(cd "$work" && npm ci --silent --no-audit --no-fund >/dev/null)

fail=0
check() {
    node "$work/check.js" "$1" "$2" || fail=1
}
for k in pass failures errors_skips; do
    check "$root/tests/data/reports/$k/junit.xml" "$root/tests/data/reports/$k/results.json"
done

# Two real runs against the reference server: partial, then failing.
portfile="$work/.ref-port"
export APICONFORM_APP_KEY=conformance-key APICONFORM_APP_SECRET=conformance-secret
for mode in partial failing; do
    rm -f "$portfile"
    if [ $mode = failing ]; then args="--mutate message-drop-period"; else args=""; fi
    # shellcheck disable=SC2086
    "$build/apiconform-ref" --port 0 --quiet $args >"$portfile" 2>/dev/null &
    ref=$!
    i=0
    while [ ! -s "$portfile" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    port=$(head -n 1 "$portfile")
    set +e
    "$build/apiconform" run --base-url "http://127.0.0.1:$port" --suite "$root/suite" \
        --catalog "$root/catalog/nce-errors.json" \
        --app-key-env APICONFORM_APP_KEY --app-secret-env APICONFORM_APP_SECRET -q \
        --junit "$work/$mode.xml" --json "$work/$mode.json" >/dev/null
    rc=$?
    set -e
    kill $ref 2>/dev/null || true
    wait $ref 2>/dev/null || true
    want=0
    [ $mode = failing ] && want=1
    if [ $rc -ne $want ]; then
        echo "consumers: the $mode run exited $rc, expected $want" >&2
        fail=1
    fi
    check "$work/$mode.xml" "$work/$mode.json"
done
if [ $fail -ne 0 ]; then
    echo "consumers: FAILED" >&2
    exit 1
fi
echo "consumers: every parser counts what apiconform counted"
