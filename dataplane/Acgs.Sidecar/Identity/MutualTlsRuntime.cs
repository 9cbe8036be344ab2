// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Acgs.Contracts.Config;
using Acgs.Core.ConstitutionalHash;
using Acgs.Sidecar.Config;

namespace Acgs.Sidecar.Identity;

/// <summary>
/// The mTLS settings in force: the mode of the active snapshot (<c>mutual_tls.mode</c>, default permissive), its accepted
/// hashes, and the trust anchors (the snapshot's bundle when it has one, parsed once per snapshot; else the bundle that
/// came with the certificate). Read once per connection.
/// </summary>
internal sealed class MutualTlsRuntime
{
    private readonly ConfigApplier _config;
    private Tuple<MutualTlsConfig, X509Certificate2Collection>? _anchors;

    public MutualTlsRuntime(ConfigApplier config, WorkloadIdentity identity, RejectionLog rejections, TimeProvider time)
    {
        _config = config;
        Time = time;
        Identity = identity;
        Rejections = rejections;
    }

    /// <summary>The clock certificates are checked against.</summary>
    public TimeProvider Time { get; }

    /// <summary>This sidecar's identity.</summary>
    public WorkloadIdentity Identity { get; }

    /// <summary>Where rejections are counted and logged.</summary>
    public RejectionLog Rejections { get; }

    /// <summary>The mode of the active snapshot; disabled while identity is off.</summary>
    public MutualTlsMode Mode => !Identity.Enabled ? MutualTlsMode.Disabled : _config.CurrentOrNull?.Snapshot.MutualTls?.Mode ?? MutualTlsMode.Permissive;

    /// <summary>The accepted constitutional hashes of the active snapshot.</summary>
    public ConstitutionalHashValidator? Accepted => _config.CurrentOrNull?.Hash.Validator;

    /// <summary>The anchors peers must chain to.</summary>
    public X509Certificate2Collection Anchors(WorkloadCredential local)
    {
        ArgumentNullException.ThrowIfNull(local);
        if (_config.CurrentOrNull?.Snapshot.MutualTls is not { TrustBundle.IsEmpty: false } mutualTls)
        {
            return local.Anchors;
        }

        var cached = Volatile.Read(ref _anchors);
        if (cached is not null && ReferenceEquals(cached.Item1, mutualTls))
        {
            return cached.Item2;
        }

        var anchors = new X509Certificate2Collection();
        foreach (var pem in mutualTls.TrustBundle)
        {
            try
            {
                anchors.Add(X509Certificate2.CreateFromPem(pem));
            }
            catch (CryptographicException)
            {
                // validated when the snapshot was applied; an unreadable anchor only narrows trust
            }
        }

        Volatile.Write(ref _anchors, Tuple.Create(mutualTls, anchors));
        return anchors;
    }

    /// <summary>Validates a peer certificate with the settings in force (see <see cref="PeerCertificateValidator.Validate"/>).</summary>
    public string? Validate(X509Certificate2? peer, X509Certificate2Collection? presented, string? expected, DateTimeOffset now, out string? spiffeId)
    {
        var local = Identity.Current;
        return PeerCertificateValidator.Validate(peer, presented, local, local is null ? null : Anchors(local), Accepted, expected, now, out spiffeId);
    }
}
