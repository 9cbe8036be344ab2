#!/bin/bash
# Constitutional Hash: cdd01ef066bc6cf2
# Interleaved before/after runs: $1 = before tree, $2 = after tree, $3 = output dir, $4 = pairs.
set -u
for i in $(seq 1 "$4"); do
  for side in before after; do
    tree=$1; [ "$side" = after ] && tree=$2
    log="$3/$side-$i.log"
    { echo "# uptime: $(uptime)"; echo "# tree: $tree ($(git -C "$tree" rev-parse --short HEAD 2>/dev/null || echo copy))"; } > "$log"
    (cd "$tree" && ACGS_PERF_BUILT=1 flock /work/wt/perf.lock dotnet run -c Release --no-build --project perf/Acgs.Perf.Convergence -- \
      --replicas 1 --watchers 1000 --services 50 --calls 5 --activations 40 --warmup 5 --verbose --json "$3/$side-$i.json") >> "$log" 2>&1
  done
done
