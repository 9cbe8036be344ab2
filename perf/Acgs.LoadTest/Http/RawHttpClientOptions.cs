// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.LoadTest.Http;

/// <summary>Options of <see cref="RawHttpClient"/>.</summary>
public sealed record RawHttpClientOptions
{
    /// <summary>Absolute http:// URI of the target (the host must be an IP address or resolvable name).</summary>
    public required Uri Target { get; init; }

    /// <summary>The Host header (e.g. a mesh service name sent to a sidecar's outbound port); null: the authority of <see cref="Target"/>.</summary>
    public string? Host { get; init; }

    /// <summary>Request method. Default GET.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>Extra request headers (Host is added from <see cref="Host"/> or <see cref="Target"/>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Request body (sent with Content-Length), or null.</summary>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>Cap on open keep-alive connections. The pool grows on demand up to this; requests
    /// that find every connection busy at the cap wait and are counted (<see cref="RawHttpClient.PoolWaits"/>).
    /// Default 1024, so an open model is not limited by connections.</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>Timeout of one exchange (send and full response). Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Receive buffer per connection. Default 16 KiB.</summary>
    public int BufferSize { get; init; } = 16 * 1024;

    /// <summary>
    /// Which idle connection the next request takes. Default <see cref="ConnectionReuse.MostRecent"/>, the
    /// order of the HTTP clients a proxy serves in production.
    /// </summary>
    public ConnectionReuse Reuse { get; init; } = ConnectionReuse.MostRecent;

    /// <summary>
    /// A pooled connection idle longer than this is closed instead of reused. Default 60 s (as
    /// SocketsHttpHandler's <c>PooledConnectionIdleTimeout</c>), below the keep-alive timeouts of the
    /// servers measured here (Kestrel 130 s, nginx and HAProxy 120 s as configured in perf/config): with
    /// <see cref="ConnectionReuse.MostRecent"/>, connections opened during a stall can sit idle for minutes,
    /// and one the server has closed meanwhile would fail its next request.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Clock of <see cref="IdleTimeout"/>. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Lists every configuration error at once (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Target.IsAbsoluteUri || Target.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add("Target must be an absolute http:// URI");
        }

        if (string.IsNullOrWhiteSpace(Method))
        {
            errors.Add("Method is empty");
        }

        if (MaxConnections < 1)
        {
            errors.Add("MaxConnections must be at least 1");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add("RequestTimeout must be positive");
        }

        if (BufferSize < 1024)
        {
            errors.Add("BufferSize must be at least 1024");
        }

        if (IdleTimeout <= TimeSpan.Zero)
        {
            errors.Add("IdleTimeout must be positive");
        }

        if (!Enum.IsDefined(Reuse))
        {
            errors.Add("Reuse must be MostRecent or Oldest");
        }

        return errors;
    }
}
