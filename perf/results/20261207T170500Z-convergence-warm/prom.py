# Constitutional Hash: cdd01ef066bc6cf2
import sys, re, collections
fine = [
 ("DotNetStats", re.compile(r"DotNetStats")),
 ("MeterAdapter", re.compile(r"MeterAdapter|MeterListener|RecordObservableInstruments")),
 ("EventCounterAdapter", re.compile(r"EventCounterAdapter|EventCounter|EventSource")),
 ("ConvergenceGauge", re.compile(r"ConvergenceGauge")),
 ("RebuildGauge", re.compile(r"RebuildGauge")),
 ("text serialize", re.compile(r"TextSerializer|CollectAndSerialize|Serialize")),
]
c = collections.Counter(); total = 0; stack = []
def flush():
    global total
    if not stack: return
    s = "\n".join(stack)
    if "Prometheus" not in s: return
    total += 1
    for n, rx in fine:
        if rx.search(s):
            c[n] += 1; return
    c["other: " + stack[0][:100]] += 1
for line in sys.stdin:
    if not line.strip():
        flush(); stack = []; continue
    if line.startswith((' ', '\t')):
        stack.append(line.strip())
flush()
for k, v in c.most_common(15):
    print(f"{100.0*v/total:6.1f}%  {k}")
print("total", total)
