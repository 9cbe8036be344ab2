// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Acgs.Sidecar.Identity;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// How sidecar-to-sidecar bus links are authenticated. With the sidecar's workload identity on, a link is mutual TLS
/// with the workload certificates (TLS 1.3, the peer accepted only when its chain ends in the trust bundle, its SPIFFE
/// ID is in this trust domain and its certificate carries an accepted constitutional hash: the checks of the HTTP
/// outbound mTLS, <see cref="MutualTlsRuntime.Validate"/>), and only such a connection may take the peer-link role.
/// With identity off (<see cref="Plaintext"/>) links are plaintext and the <c>PeerLink</c> register flag is trusted:
/// the weaker mode of docs/bus-protocol.md. Options are built per handshake, never per message.
/// </summary>
internal sealed class BusPeerTls
{
    /// <summary>Name a link's client handshake uses (the certificate check does not use it: SPIFFE IDs are checked).</summary>
    public const string TargetHost = "acgs-bus";

    private readonly MutualTlsRuntime? _runtime;
    private Tuple<WorkloadCredential, SslServerAuthenticationOptions>? _server;

    public BusPeerTls(MutualTlsRuntime? runtime)
    {
        _runtime = runtime;
    }

    /// <summary>Identity off: plaintext links, the register flag trusted.</summary>
    public static BusPeerTls Plaintext { get; } = new(null);

    /// <summary>Whether peer links must be mutual TLS (the sidecar's workload identity is on).</summary>
    public bool Required => _runtime is { Identity.Enabled: true };

    /// <summary>Client options of an outgoing link to <paramref name="address"/>: the current workload certificate, the peer checked as a mesh sidecar.</summary>
    public SslClientAuthenticationOptions ClientOptions(string address)
    {
        var runtime = _runtime ?? throw new InvalidOperationException("bus peer TLS is off");
        var credential = runtime.Identity.Current ?? throw new AuthenticationException("no workload certificate yet");
        return new SslClientAuthenticationOptions
        {
            TargetHost = TargetHost,
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificateContext = credential.Context,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) => Accept(certificate, chain, "bus-outbound", address),
        };
    }

    /// <summary>Server options of an incoming link (cached per workload certificate); throws when the sidecar has none yet.</summary>
    public SslServerAuthenticationOptions ServerOptions()
    {
        var runtime = _runtime ?? throw new InvalidOperationException("bus peer TLS is off");
        var credential = runtime.Identity.Current ?? throw new AuthenticationException("no workload certificate yet");
        var cached = Volatile.Read(ref _server);
        if (cached is null || !ReferenceEquals(cached.Item1, credential))
        {
            cached = Tuple.Create(credential, new SslServerAuthenticationOptions
            {
                ServerCertificateContext = credential.Context,
                ClientCertificateRequired = true,
                EnabledSslProtocols = SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, chain, _) => Accept(certificate, chain, "bus-inbound", "peer"),
            });
            Volatile.Write(ref _server, cached);
        }

        return cached.Item2;
    }

    private bool Accept(X509Certificate? certificate, X509Chain? chain, string direction, string peer)
    {
        var runtime = _runtime!;
        var presented = certificate as X509Certificate2;
        var reason = runtime.Validate(presented, chain?.ChainPolicy.ExtraStore, expected: null, runtime.Time.GetUtcNow(), out _);
        if (reason is null)
        {
            return true;
        }

        runtime.Rejections.Reject(direction, presented is null ? peer : Acgs.Contracts.Identity.WorkloadCertificate.GetSpiffeId(presented) ?? presented.Subject, reason);
        return false;
    }
}
