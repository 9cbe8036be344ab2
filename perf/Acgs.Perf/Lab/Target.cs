// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Http;

namespace Acgs.Perf.Lab;

/// <summary>One path to the backend: its name, the client that loads it, the process that serves
/// it (none for direct) and where its statistics are read.</summary>
internal sealed class Target(TargetKind kind, string name, RawHttpClient client, Uri uri, ChildProcess? process) : IDisposable
{
    public TargetKind Kind { get; } = kind;

    public string Name { get; } = name;

    public RawHttpClient Client { get; } = client;

    public Uri Uri { get; } = uri;

    /// <summary>The proxy process (null for direct).</summary>
    public ChildProcess? Process { get; } = process;

    /// <summary>Sidecar admin base URI (latency histogram, metrics), or null.</summary>
    public Uri? AdminUri { get; init; }

    /// <summary>A second proxy process on the path (the server sidecar of an ab pair), or null; its CPU counts too.</summary>
    public ChildProcess? Peer { get; init; }

    /// <summary>The admin base URI of <see cref="Peer"/>, or null.</summary>
    public Uri? PeerAdminUri { get; init; }

    /// <summary>Plain YARP's stats listener base URI, or null.</summary>
    public Uri? StatsUri { get; init; }

    public void Dispose() => Client.Dispose();
}
