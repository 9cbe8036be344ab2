#!/bin/bash
# Constitutional Hash: cdd01ef066bc6cf2
# interleaved pairs: before = main's control plane, after = same with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 on the replica only
cd /work/main
D=/work/wt/res-inline
for i in 1 2 3; do
  for side in before after; do
    echo "== $side-$i $(date -u +%T) $(uptime)" >> $D/runs-1000.txt
    if [ $side = after ]; then P=/work/wt/inlinewrap:$PATH; else P=$PATH; fi
    PATH=$P timeout 600 dotnet run -c Release --no-build --project perf/Acgs.Perf.Convergence -- --replicas 1 --watchers 1000 --services 50 --activations 20 --warmup 5 --verbose --json $D/$side-$i.json > $D/$side-$i.log 2>&1
  done
done
