#!/bin/sh
# Shows that a change to the sampler code leaves the draws unchanged: builds
# write_draws.cpp twice, once against the working tree's headers and once
# against the same headers with the sampler files (the list below) as they
# were at BASE, runs both and compares every CSV file byte for byte after
# dropping the timing lines ("Elapsed Time" and the two that follow). Only
# the sampler files differ between the two builds, so a change made by
# someone else to another header in the meantime cannot hide or cause a
# difference.
#
#   benchmarks/nuts/identical_draws.sh BASE [CXX flags...]
#
# Default flags: the project's Release flags, -O2 -DNDEBUG -std=gnu++20.
# Exit status 0 when every file is identical.
set -eu

if [ $# -lt 1 ]; then
  echo "usage: $0 BASE_COMMIT [compiler flags]" >&2
  exit 2
fi
base=$1
shift
flags=${*:--O2 -DNDEBUG -std=gnu++20}
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d /tmp/identical_draws.XXXXXX)
cxx=${CXX:-g++}

sampler_files="hamiltonian.hpp nuts_kernel.hpp hmc_kernel.hpp chain_runner.hpp
  initial_step_size.hpp initial_point.hpp dual_averaging.hpp windowed_adaptation.hpp
  welford.hpp sample_chains.hpp fisher_adaptation.hpp metric_warmup.hpp step_size_action.hpp
  structure_evidence.hpp"

cp -r "$root/include" "$work/after"
cp -r "$root/include" "$work/before"
for f in $sampler_files; do
  if git -C "$root" cat-file -e "$base:include/statix/infer/$f" 2>/dev/null; then
    git -C "$root" show "$base:include/statix/infer/$f" > "$work/before/statix/infer/$f"
  fi
done
echo "sampler files that differ from $base:"
for f in $sampler_files; do
  cmp -s "$work/before/statix/infer/$f" "$work/after/statix/infer/$f" || echo "  $f"
done

for side in before after; do
  # shellcheck disable=SC2086
  $cxx $flags -I"$work/$side" -I/usr/include/eigen3 "$root/benchmarks/nuts/write_draws.cpp" \
    -o "$work/write_draws_$side"
  "$work/write_draws_$side" "$work/csv_$side" > /dev/null
done

status=0
count=0
for file in "$work"/csv_before/*.csv; do
  name=$(basename "$file")
  count=$((count + 1))
  for side in before after; do
    awk '/Elapsed Time/ { skip = 3 } skip > 0 { skip--; next } { print }' \
      "$work/csv_$side/$name" > "$work/$side.stripped"
  done
  if cmp -s "$work/before.stripped" "$work/after.stripped"; then
    echo "identical: $name ($(wc -l < "$work/after.stripped") lines)"
  else
    echo "DIFFERENT: $name"
    status=1
  fi
done
[ "$count" -gt 0 ] || { echo "no CSV files written" >&2; exit 2; }
echo "$count files compared in $work"
exit $status
