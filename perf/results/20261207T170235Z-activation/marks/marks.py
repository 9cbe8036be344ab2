# Constitutional Hash: cdd01ef066bc6cf2
# Medians of the Stopwatch marks (ms) per phase: the activation requests of the bench-breaker rounds (the lines whose
# check compiled 50 services, warm-up rounds included) and the rebuilds from the first such round on (R.* marks only;
# a line can hold marks of a concurrent request, which are left out here).
import sys,statistics,collections
for path in sys.argv[1:]:
    act=collections.defaultdict(list); reb=collections.defaultdict(list); started=False
    for line in open(path):
        if 'k.compile50' in line:
            started=True
            for tok in line.split():
                k,v=tok.split('=')
                if k.startswith('R.') or k in act and len(act[k])>len(act['k.compile50']): continue
                act[k].append(float(v))
        if started and line.startswith('R.'):
            for tok in line.split():
                k,v=tok.split('=')
                if k.startswith('R.'): reb[k].append(float(v))
    print(path)
    print('  activation ('+str(len(act['k.compile50']))+' requests): '+', '.join(f'{k} {statistics.median(v):.2f}' for k,v in act.items()))
    print('  rebuild ('+str(len(next(iter(reb.values()))))+' passes): '+', '.join(f'{k} {statistics.median(v):.2f}' for k,v in reb.items()))
