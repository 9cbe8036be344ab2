# Constitutional Hash: cdd01ef066bc6cf2
"""Categorizes `perf script` stacks of the replica: a sample counts for the first category whose pattern appears anywhere in its stack."""
import sys, re, collections
cats = [
 ("nonce (Guid.NewGuid: random bytes, libcrypto)", re.compile(r"NewGuid|GetRandomBytes|GetCryptographicallySecureRandomBytes|libcrypto")),
 ("ack stream (AckStreamEndpoint: read, JSON, Acknowledge)", re.compile(r"AckStreamEndpoint|Acknowledge|SnapshotAck")),
 ("watch stream loop (WatchStream: copy into the response, Kestrel flush)", re.compile(r"WatchStream|SerializedSnapshot")),
 ("activation request and rebuild", re.compile(r"Acgs\.ControlPlane\.(Compiler|Discovery|Policies|Store|Audit|Replication|Leadership|Api\.Policy)|DistributionHub|DistributionService|StackExchange")),
 ("kestrel request parsing / middleware", re.compile(r"ProcessRequests|HttpProtocol|Http1Connection|EndpointMiddleware|Routing")),
 ("socket send (Kestrel send loop, kernel loopback TCP)", re.compile(r"DoSend|SendAsync|sendmsg|__send|tcp_sendmsg")),
 ("socket receive", re.compile(r"DoReceive|ReceiveAsync|recvmsg|recvfrom|__recv|tcp_recvmsg")),
 ("channel / thread-pool dispatch", re.compile(r"BoundedChannel|AsyncOperation|ChannelUtilities|ThreadPoolWorkQueue::Dispatch|IOQueue")),
 ("epoll / thread-pool wait", re.compile(r"epoll_wait|sched_yield|futex|WaitHandle|LowLevelLifoSemaphore|SpinWait")),
 ("jit", re.compile(r"libclrjit")),
 ("gc", re.compile(r"gc_heap|GCHeap|WKS::|SVR::")),
]
counts = collections.Counter(); total = 0
stack = []
def flush():
    global total
    if not stack: return
    total += 1
    s = "\n".join(stack)
    for name, rx in cats:
        if rx.search(s):
            counts[name] += 1; return
    counts["other: " + (stack[0].split(None,1)[1][:60] if len(stack[0].split(None,1))>1 else stack[0])] += 1
for line in sys.stdin:
    if not line.strip():
        flush(); stack = []; continue
    if line.startswith((' ', '\t')):
        stack.append(line.strip())
flush()
for k, v in counts.most_common(20):
    print(f"{100.0*v/total:6.1f}%  {k}")
print("total samples", total)
