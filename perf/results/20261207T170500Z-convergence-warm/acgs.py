# Constitutional Hash: cdd01ef066bc6cf2
import sys, re, collections
# for samples whose stack has a DistributionHub/Compiler frame: count the innermost Acgs.* frame (self-ish attribution) and inclusive per Acgs method
inner = collections.Counter(); incl = collections.Counter(); total = 0; n = 0; stack = []
rx = re.compile(r"\[Acgs\.[A-Za-z.]+\] (Acgs\.[^\s(]+)")
def flush():
    global total, n
    if not stack: return
    total += 1
    s = "\n".join(stack)
    if "DistributionHub" not in s and "Compiler" not in s: return
    n += 1
    names = [m.group(1) for l in stack for m in [rx.search(l)] if m]
    if names: inner[names[0]] += 1
    for nm in set(names): incl[nm] += 1
for line in sys.stdin:
    if not line.strip():
        flush(); stack = []; continue
    if line.startswith((' ', '\t')): stack.append(line.strip())
flush()
print("rebuild samples", n, "of", total)
print("-- innermost Acgs frame")
for k, v in inner.most_common(25): print(f"{100.0*v/n:6.1f}%  {k}")
print("-- inclusive")
for k, v in incl.most_common(30): print(f"{100.0*v/n:6.1f}%  {k}")
