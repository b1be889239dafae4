#!/bin/sh
# tests/html/check.sh [REPORT.html...] -- renders HTML reports in headless
# Chromium (Debian package `chromium`) and fails when a page logs anything to
# the console (a CSP violation, a script, a blocked load) or gives no
# screenshot. Without arguments it checks the golden reports under
# tests/data/reports/ and, when the reports test has run, the page it built
# from hostile content ($BUILD/tests/reports-hostile.html). Screenshots go to
# $BUILD/html-check/. Exit 0 all clean, 1 a page failed, 77 no chromium.
# Not part of `make test`: run it by hand or in a CI job that has chromium.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${AC_BUILD:-$root/build}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "check.sh: chromium not found (apt-get install chromium); skipped" >&2
    exit 77
fi
if [ $# -eq 0 ]; then
    set -- "$root"/tests/data/reports/*/report.html
    [ -f "$build/tests/reports-hostile.html" ] && set -- "$@" "$build/tests/reports-hostile.html"
fi
out="$build/html-check"
mkdir -p "$out"
failed=0
for page in "$@"; do
    abs=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
    name=$(echo "$abs" | sed "s|^$root/||; s|[/ ]|_|g; s|\.html$||")
    shot="$out/$name.png"
    log="$out/$name.log"
    rm -f "$shot"
    # A fresh profile per page; no network, so nothing can leave the machine.
    profile=$(mktemp -d)
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --no-first-run --user-data-dir="$profile" \
        --enable-logging=stderr --v=0 --window-size=1280,2000 \
        --screenshot="$shot" "file://$abs" >"$log" 2>&1
    rc=$?
    rm -rf "$profile"
    if [ $rc -ne 0 ]; then
        echo "FAIL $page: chromium exited $rc (see $log)"
        failed=1
    elif grep -q ':CONSOLE' "$log"; then
        echo "FAIL $page: console output:"
        grep ':CONSOLE' "$log" | sed 's/^/    /'
        failed=1
    elif [ ! -s "$shot" ]; then
        echo "FAIL $page: no screenshot"
        failed=1
    else
        echo "ok   $page -> $shot"
    fi
done
exit $failed
