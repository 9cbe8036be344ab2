// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Admin;

/// <summary>The HTTP client of <see cref="AppHealthEndpoint"/>: no proxy, no redirects followed (a redirect status is the answer), short-lived connections.</summary>
internal sealed class AppHealthClient : IDisposable
{
    /// <summary>The client.</summary>
    public HttpClient Client { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <inheritdoc />
    public void Dispose() => Client.Dispose();
}
