#!/bin/bash
# Constitutional Hash: cdd01ef066bc6cf2
cd /work/wt/integ  # the integration build (scoped snapshots) at the time
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 timeout 600 dotnet run -c Release --no-build --project perf/Acgs.Perf.Convergence -- --replicas 1 --watchers 1000 --services 50 --calls 5 --activations 400 --warmup 5 --verbose --json /work/wt/prof/scoped2.json > /work/wt/prof/scoped2.log 2>&1 &
until grep -q "^round 10:" /work/wt/prof/scoped2.log 2>/dev/null; do sleep 0.5; done
R=$(pgrep -f "Acgs.ControlPlane.dll" | head -1)
W=$(pgrep -f "watcher-process" | head -1)
echo "replica $R watcher $W"
perf record -F 499 -g -p $R -o /work/wt/prof/replica.data -- sleep 12 &
perf record -F 499 -g -p $W -o /work/wt/prof/watcher.data -- sleep 12 &
wait
