#!/bin/sh
# mk/runtests.sh BUILD NAME... -- runs each test binary BUILD/tests/test_NAME
# from the project root, prints one line per binary and a total, and exits 1
# when any binary failed. Each binary prints CUnit's own run summary.
set -u
build=$1; shift
root=$(pwd)
export AC_BUILD="$root/$build" AC_ROOT="$root" AC_SHARED="${AC_SHARED:-$(cd "$root/${SHARED:-../shared}" 2>/dev/null && pwd)}"
failed=""
for t in "$@"; do
    echo "== test_$t"
    if ! "$build/tests/test_$t"; then
        failed="$failed $t"
    fi
done
if [ -n "$failed" ]; then
    echo "FAILED test binaries:$failed"
    exit 1
fi
echo "all $# test binaries passed"
