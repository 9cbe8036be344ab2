#!/bin/bash
# Constitutional Hash: cdd01ef066bc6cf2
# One run of a scratch build with Stopwatch marks (Prof.cs appends "phase=ms" per mark to /tmp/act/prof-<pid>.log); $1 tree, $2 output prefix.
rm -f /tmp/act/prof-*.log
{ echo "# uptime: $(uptime)"; } > "$2.log"
(cd "$1" && ACGS_PERF_BUILT=1 flock /work/wt/perf.lock dotnet run -c Release --no-build --project perf/Acgs.Perf.Convergence -- \
  --replicas 1 --watchers 1000 --services 50 --calls 5 --activations 40 --warmup 5 --verbose --json "$2.json") >> "$2.log" 2>&1
cat /tmp/act/prof-*.log > "$2.marks"
