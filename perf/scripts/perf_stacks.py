# Constitutional Hash: cdd01ef066bc6cf2
"""Reads `perf script` output: one list of frames per sample (innermost first), the way the profile scripts under perf/results count them."""
import sys


def stacks(lines=None):
    """Yields each sample's frames (stripped lines) from `perf script` text (stdin by default)."""
    stack = []
    for line in lines if lines is not None else sys.stdin:
        if not line.strip():
            if stack:
                yield stack
            stack = []
        elif line.startswith((' ', '\t')):
            stack.append(line.strip())
    if stack:
        yield stack
