#!/bin/bash
# Constitutional Hash: cdd01ef066bc6cf2
# usage: exab.sh OUTDIR LABEL CONTROL_PLANE_DLL — one 5,000 x 2 scoped run (40 activations); each replica's exceptions
# (sum of system_runtime_dotnet_exceptions over its error types) read at the first measured round and 28 rounds later.
cd /work/main
out=$1/$2
ACGS_PERF_BUILT=1 dotnet perf/Acgs.Perf.Convergence/bin/Release/net10.0/Acgs.Perf.Convergence.dll --replicas 2 --watchers 5000 --services 250 --calls 5 --activations 40 --verbose --control-plane $3 --json $out.json > $out.log 2>&1 &
pid=$!
while ! grep -q "is the first measured" $out.log 2>/dev/null; do sleep 0.5; kill -0 $pid 2>/dev/null || break; done
snap(){ for p in $(pgrep -f "^dotnet .*Acgs.ControlPlane.dll"); do port=$(tr '\0' '\n' < /proc/$p/environ | grep ACGS_CONTROL_PLANE_PORT | cut -d= -f2); echo "$port $(curl -s http://127.0.0.1:$port/metrics | grep -E '^system_runtime_dotnet_exceptions' | awk '{s+=$NF} END {print s+0}')"; done; }
snap > $out.ex0; r0=$(grep -c "^round" $out.log)
while [ $(grep -c "^round" $out.log) -lt $((r0+28)) ]; do sleep 0.3; kill -0 $pid 2>/dev/null || break; done
snap > $out.ex1
wait $pid
echo "$2 $(uptime | sed 's/.*average//')"
join $out.ex0 $out.ex1 | awk '{printf "  port %s exceptions +%d\n", $1, $3-$2}'
grep -E "^activation|control-plane CPU" $out.log | cut -c1-130
