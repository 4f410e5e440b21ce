#!/usr/bin/env bash
# The system packages @stem/compute-native builds against (OpenBLAS, a C++ compiler, make),
# installed before `pnpm install` so the addon builds on the first try and the README's main
# job runs on native kernels. Installs them where it can (Debian/Ubuntu as root, or with
# passwordless sudo); anywhere else it says in one line what to run, and never fails: stem
# still installs and runs on plain wasm without them, only several times slower.
set -u

# STEM_SYSROOT (tests only) puts the header look-up under another root.
have_prerequisites() {
  local include="${STEM_SYSROOT:-}/usr/include"
  local header found=""
  for header in "$include"/*/openblas*/cblas.h "$include"/openblas/cblas.h "$include"/cblas.h; do
    [ -f "$header" ] && found=1
  done
  [ -n "$found" ] && command -v g++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1
}

if have_prerequisites; then
  echo "native prerequisites: OpenBLAS, g++ and make are installed" >&2
  exit 0
fi

packages="libopenblas-dev g++ make"
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    as_root=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root="sudo -n"
  else
    echo "native prerequisites missing: run 'sudo apt-get install -y $packages' then 'pnpm install' again for native speed (going on with plain wasm)" >&2
    exit 0
  fi
  echo "native prerequisites: installing $packages (apt-get)" >&2
  if $as_root apt-get update -qq >/dev/null && $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null; then
    echo "native prerequisites: installed" >&2
  else
    echo "native prerequisites: apt-get failed; stem goes on with plain wasm (install $packages, then 'pnpm install' again, for native speed)" >&2
  fi
  exit 0
fi
echo "native prerequisites missing: install OpenBLAS (headers and library), a C++ compiler and make with your package manager, then 'pnpm install' again, for native speed (going on with plain wasm)" >&2
exit 0
