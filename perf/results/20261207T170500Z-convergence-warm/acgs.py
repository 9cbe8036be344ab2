# Constitutional Hash: cdd01ef066bc6cf2
"""Of the samples that touch the rebuild or the compiler: the innermost Acgs.* frame, and every Acgs.* method on the stack (inclusive)."""
import os, re, sys, collections
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from perf_stacks import stacks

inner = collections.Counter(); incl = collections.Counter(); total = 0; n = 0
rx = re.compile(r"\[Acgs\.[A-Za-z.]+\] (Acgs\.[^\s(]+)")
for stack in stacks():
    total += 1
    s = "\n".join(stack)
    if "DistributionHub" not in s and "Compiler" not in s:
        continue
    n += 1
    names = [m.group(1) for l in stack for m in [rx.search(l)] if m]
    if names:
        inner[names[0]] += 1
    for nm in set(names):
        incl[nm] += 1
print("rebuild samples", n, "of", total)
print("-- innermost Acgs frame")
for k, v in inner.most_common(25): print(f"{100.0*v/n:6.1f}%  {k}")
print("-- inclusive")
for k, v in incl.most_common(30): print(f"{100.0*v/n:6.1f}%  {k}")
