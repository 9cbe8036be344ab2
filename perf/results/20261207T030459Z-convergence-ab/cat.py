# Constitutional Hash: cdd01ef066bc6cf2
import sys, re, collections
cats = [
 ("ack-handler", re.compile(r"AckAsync|Acknowledge|SnapshotAck|SidecarRequests")),
 ("watch-write", re.compile(r"WatchStream|SerializedSnapshot")),
 ("activation/rebuild", re.compile(r"Acgs\.ControlPlane\.(Compiler|Discovery|Policies|Store|Audit|Replication|Leadership\.LeaderForwarding::|Api\.Policy)|DistributionHub|DistributionService|StackExchange")),
 ("http-request (kestrel parse/mw)", re.compile(r"ProcessRequests|HttpProtocol|Http1Connection|EndpointMiddleware|Routing")),
 ("socket-send", re.compile(r"DoSend|SendAsync|sendmsg|__send")),
 ("socket-recv", re.compile(r"DoReceive|ReceiveAsync|recvmsg|recvfrom|__recv|tcp_recvmsg")),
 ("http-client", re.compile(r"System\.Net\.Http")),
 ("line-read/scan", re.compile(r"LineScanner|SimulatedSidecar|PipeReader|StreamPipeReader")),
 ("json-parse/validate", re.compile(r"JsonNode|ConfigSnapshotJson|ConfigSnapshotValidator")),
 ("watcher-ack-post", re.compile(r"SimulatedSidecar.*HandleAsync|PostAsJsonAsync|HttpClient")),
 ("epoll/threadpool-wait", re.compile(r"epoll_wait|sched_yield|futex|WaitHandle|LowLevelLifoSemaphore|SpinWait")),
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
for k, v in counts.most_common(25):
    print(f"{100.0*v/total:6.1f}%  {k}")
print("total samples", total)
