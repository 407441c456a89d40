#!/usr/bin/env bash
# System packages the project needs on a Debian machine (used by `make setup` and .ci/run).
# As root it installs what is missing; otherwise it names what is missing and what that costs.
set -euo pipefail

need=()
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v make >/dev/null 2>&1 || need+=(make)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
# the sandbox's seccomp filter (process creation, exec, sockets...) is built with libseccomp
[ -e /usr/include/seccomp.h ] || need+=(libseccomp-dev)
# the ARM path: aarch64 cross builds, run under qemu (--mk-device=qemu-aarch64, and the adb test peer)
command -v aarch64-linux-gnu-g++ >/dev/null 2>&1 || need+=(g++-aarch64-linux-gnu)
command -v qemu-aarch64-static >/dev/null 2>&1 || need+=(qemu-user-static)

if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${need[@]}"
else
    echo "system-deps: missing ${need[*]}: run 'sudo apt-get install ${need[*]}' (without them the sandbox" \
         "has no seccomp filter and the ARM tests skip)" >&2
fi
