#!/usr/bin/env bash
# Installs what a fresh machine of this kind lacks for the full test run:
# cross toolchains and QEMU for the on-target suites, clang's sanitizer
# runtime. Idempotent: does nothing when everything is present.
set -euo pipefail
packages=(gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
          gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc
          libclang-rt-14-dev ninja-build)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=""; [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
