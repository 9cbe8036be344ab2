// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.LoadTest.Http;

/// <summary>Which idle keep-alive connection <see cref="RawHttpClient"/> takes for the next request.</summary>
public enum ConnectionReuse
{
    /// <summary>
    /// The one that went idle last (a stack), as SocketsHttpHandler, Go's net/http, nginx's upstream
    /// keep-alive cache and Envoy's pools do: in steady load a few hot connections carry the traffic, and
    /// connections opened during a stall stay idle afterwards.
    /// </summary>
    MostRecent,

    /// <summary>
    /// The one idle longest (a queue): every pooled connection is used in turn, so after a stall that
    /// opened hundreds of them, each request arrives on a connection that has been idle for a while.
    /// </summary>
    Oldest,
}
