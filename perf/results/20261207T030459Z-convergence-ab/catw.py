# Constitutional Hash: cdd01ef066bc6cf2
import sys, re, collections
cats = [
 ("json-parse/validate (full watchers)", re.compile(r"JsonNode|ConfigSnapshotJson|ConfigSnapshotValidator|JsonElement|JsonDocument")),
 ("line-scan", re.compile(r"LineScanner")),
 ("watch-read (chunked stream, pipe)", re.compile(r"ChunkedEncodingReadStream|StreamPipeReader|WatchOnceAsync|PositionOf")),
 ("ack-post (http client)", re.compile(r"PostAsJsonAsync|HandleAsync|JsonContent|HttpConnectionPool|HttpConnection\+<SendAsync|SendAsyncCore|HttpClient|SocketsHttpHandler|HttpMessageInvoker")),
 ("socket-send", re.compile(r"DoSend|sendmsg|__send|sendto")),
 ("socket-recv", re.compile(r"DoReceive|ReceiveAsync|recvmsg|recvfrom|__recv|tcp_recvmsg|sock_read")),
 ("http other", re.compile(r"System\.Net\.Http")),
 ("epoll/threadpool-wait", re.compile(r"epoll_wait|sched_yield|futex|WaitHandle|LowLevelLifoSemaphore|SpinWait")),
 ("jit", re.compile(r"libclrjit")),
 ("gc", re.compile(r"gc_heap|GCHeap|WKS::|SVR::")),
 ("crypto(guid?)", re.compile(r"libcrypto")),
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
    counts["other: " + (stack[0].split(None,1)[1][:70] if len(stack[0].split(None,1))>1 else stack[0])] += 1
for line in sys.stdin:
    if not line.strip():
        flush(); stack = []; continue
    if line.startswith((' ', '\t')):
        stack.append(line.strip())
flush()
for k, v in counts.most_common(16):
    print(f"{100.0*v/total:6.1f}%  {k}")
print("total samples", total)
