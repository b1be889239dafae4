#!/bin/sh
# mk/deps.sh -- make sure the libraries apiconform builds against are here.
# Checks pkg-config for each; installs the Debian packages of the missing
# ones with apt-get (through sudo when not root). Prints what it does.
# Usage: mk/deps.sh [--valgrind] [--bench] [--fmt] [--fuzz] [--check]
#   (--check: report only, exit 1 if missing; the others add a tool)
set -eu

# pkg-config name -> Debian package(s)
want="libcurl:libcurl4-openssl-dev jansson:libjansson-dev cunit:libcunit1-dev libmicrohttpd:libmicrohttpd-dev"
# Tools the tests call, by command -> package
tools="pkg-config:pkg-config xmllint:libxml2-utils openssl:openssl curl:curl"

missing=""
if [ "${1:-}" = "--valgrind" ]; then
    command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind"
    shift
fi
if [ "${1:-}" = "--bench" ]; then
    command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
    shift
fi
if [ "${1:-}" = "--fmt" ]; then
    command -v clang-format >/dev/null 2>&1 || missing="$missing clang-format"
    shift
fi
if [ "${1:-}" = "--fuzz" ]; then
    # libFuzzer needs clang and its runtime
    command -v clang >/dev/null 2>&1 || missing="$missing clang"
    ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
        missing="$missing libclang-rt-14-dev"
    shift
fi
if ! command -v pkg-config >/dev/null 2>&1; then
    for pair in $want; do missing="$missing ${pair#*:}"; done
else
    for pair in $want; do
        name=${pair%%:*}
        pkg-config --exists "$name" || missing="$missing ${pair#*:}"
    done
fi
for pair in $tools; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
done

if [ -z "$missing" ]; then
    exit 0
fi
if [ "${1:-}" = "--check" ]; then
    echo "deps: missing:$missing" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: missing:$missing -- and no apt-get here; install them by hand" >&2
    exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
echo "deps: done"
