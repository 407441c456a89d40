#!/usr/bin/env bash
# System packages the project needs on a Debian machine (run by make on every bench/test, and by
# .ci/run). As root it installs what is missing with apt; otherwise it names what is missing in one
# line and goes on without the optional ones (their tests skip), or stops without the essential ones.
set -euo pipefail

essential=() optional=()
command -v g++ >/dev/null 2>&1 || essential+=(g++)
command -v make >/dev/null 2>&1 || essential+=(make)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || essential+=(python3-venv)
# the sandbox's seccomp layer (process creation, exec, sockets...) is built with libseccomp
[ -e /usr/include/seccomp.h ] || optional+=(libseccomp-dev)
# the ARM path: aarch64 cross builds, run under qemu (--mk-device=qemu-aarch64, and the adb test peer)
command -v aarch64-linux-gnu-g++ >/dev/null 2>&1 || optional+=(g++-aarch64-linux-gnu)
command -v qemu-aarch64-static >/dev/null 2>&1 || optional+=(qemu-user-static)

missing=("${essential[@]}" "${optional[@]}")
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${missing[@]}"
    exit 0
fi
fix="run 'sudo apt-get install ${missing[*]}' or 'sudo bash scripts/system_deps.sh'"
if [ ${#essential[@]} -gt 0 ]; then
    echo "system-deps: missing ${essential[*]}, without which nothing here runs: $fix" >&2
    exit 1
fi
echo "system-deps: missing ${optional[*]}: $fix (until then the tests that need them skip," \
     "and without libseccomp-dev the sandbox has no seccomp layer)" >&2
