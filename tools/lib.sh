# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by tools/demo, tools/check, tools/check-sanitizers and tools/check-tsan.

# The repository root, whatever the caller's working directory.
GTASKLET_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# setup_build DIR [MESON OPTIONS...]: configures DIR, or reconfigures it if it already is a
# build directory (falling back to a wipe when meson cannot reuse it, e.g. after a meson
# upgrade).
setup_build () {
  local dir=$1
  shift
  if [[ -f $dir/meson-private/coredata.dat ]]; then
    meson setup --reconfigure "$dir" "$@" || meson setup --wipe "$dir" "$@"
  else
    meson setup "$dir" "$@"
  fi
}
