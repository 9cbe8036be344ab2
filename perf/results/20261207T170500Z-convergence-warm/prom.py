# Constitutional Hash: cdd01ef066bc6cf2
"""Of the samples with a prometheus-net frame (the /metrics scrapes): which collector they were in (the first pattern found)."""
import os, re, sys, collections
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from perf_stacks import stacks

fine = [
 ("DotNetStats", re.compile(r"DotNetStats")),
 ("MeterAdapter", re.compile(r"MeterAdapter|MeterListener|RecordObservableInstruments")),
 ("EventCounterAdapter", re.compile(r"EventCounterAdapter|EventCounter|EventSource")),
 ("ConvergenceGauge", re.compile(r"ConvergenceGauge")),
 ("RebuildGauge", re.compile(r"RebuildGauge")),
 ("text serialize", re.compile(r"TextSerializer|CollectAndSerialize|Serialize")),
]
c = collections.Counter(); total = 0
for stack in stacks():
    s = "\n".join(stack)
    if "Prometheus" not in s:
        continue
    total += 1
    name = next((n for n, rx in fine if rx.search(s)), None)
    c[name or "other: " + stack[0][:100]] += 1
for k, v in c.most_common(15):
    print(f"{100.0*v/total:6.1f}%  {k}")
print("total", total)
