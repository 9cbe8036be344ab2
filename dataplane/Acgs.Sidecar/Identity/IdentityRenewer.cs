// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Acgs.Contracts.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Identity;

/// <summary>
/// Obtains and renews the workload certificate. The ECDSA P-256 key is generated in memory at start and never
/// written or logged; the first request uses the bootstrap credential (join token or ServiceAccount token), later
/// ones the current certificate (renewal for the same key) at half its lifetime ± 5 % jitter. Failures retry with
/// exponential backoff and full jitter; the current certificate keeps serving meanwhile. Time from <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class IdentityRenewer : BackgroundService
{
    private readonly WorkloadIdentity _identity;
    private readonly IdentityClient _client;
    private readonly string _hash;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private static readonly TimeSpan MinimumRenewalInterval = TimeSpan.FromSeconds(1);
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public IdentityRenewer(WorkloadIdentity identity, IdentityClient client, string constitutionalHash, TimeProvider time, ILogger<IdentityRenewer> logger)
    {
        _identity = identity;
        _client = client;
        _hash = constitutionalHash;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_identity.Enabled)
        {
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var credential = await ObtainAsync(stoppingToken).ConfigureAwait(false);
                _identity.Set(credential);
                _identity.Metrics.Requests.WithLabels("issued").Inc();
                LogIssued(credential.SpiffeId, credential.Serial, credential.NotAfter);
                failures = 0;
                wait = credential.RenewAt((Random.Shared.NextDouble() - 0.5) * 0.1) - _time.GetUtcNow();
                wait = wait < MinimumRenewalInterval ? MinimumRenewalInterval : wait; // a clock ahead of the CA's must not renew in a loop
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IdentityRequestException or TaskCanceledException or CryptographicException or IOException or UnauthorizedAccessException)
            {
                _identity.Metrics.Requests.WithLabels(ex is IdentityRequestException ? "refused" : "failed").Inc();
                _identity.SetError(ex.Message);
                LogFailed(ex.Message);
                wait = Backoff(failures++);
            }

            try
            {
                await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        _key.Dispose();
        base.Dispose();
    }

    private TimeSpan Backoff(int failures)
    {
        var settings = _identity.Settings;
        var ceiling = Math.Min(settings.BackoffMax.TotalMilliseconds, settings.BackoffMin.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 20)));
        return TimeSpan.FromMilliseconds(settings.BackoffMin.TotalMilliseconds / 2 + (Random.Shared.NextDouble() * (ceiling - settings.BackoffMin.TotalMilliseconds / 2)));
    }

    private async Task<WorkloadCredential> ObtainAsync(CancellationToken cancellationToken)
    {
        var csr = new CertificateRequest(new X500DistinguishedName("O=ACGS mesh"), _key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        var current = _identity.Current;
        var settings = _identity.Settings;
        var request = new CsrRequest
        {
            Csr = csr, ConstitutionalHash = current?.ConstitutionalHash ?? _hash, Node = settings.NodeId,
            Service = settings.ServiceName.Length > 0 ? settings.ServiceName : null,
        };
        if (current is not null && current.NotAfter > _time.GetUtcNow())
        {
            request = request with { Certificate = current.Certificate.ExportCertificatePem() };
        }
        else if (settings.KubernetesTokenFile is { } tokenFile)
        {
            request = request with { KubernetesToken = (await File.ReadAllTextAsync(tokenFile, cancellationToken).ConfigureAwait(false)).Trim() };
        }
        else
        {
            var token = settings.JoinToken ?? (await File.ReadAllTextAsync(settings.JoinTokenFile!, cancellationToken).ConfigureAwait(false)).Trim();
            request = request with { JoinToken = token };
        }

        var response = await _client.SignAsync(request, cancellationToken).ConfigureAwait(false);
        return Build(response);
    }

    /// <summary>Checks the answer (our key, the identity it claims, a chain to its bundle, the hash) and pairs it with the key.</summary>
    private WorkloadCredential Build(CsrResponse response)
    {
        using var leaf = X509Certificate2.CreateFromPem(response.Certificate);
        var intermediates = new X509Certificate2Collection();
        foreach (var pem in response.Chain)
        {
            intermediates.Add(X509Certificate2.CreateFromPem(pem));
        }

        var anchors = new X509Certificate2Collection();
        foreach (var pem in response.TrustBundle)
        {
            anchors.Add(X509Certificate2.CreateFromPem(pem));
        }

        if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(_key.ExportSubjectPublicKeyInfo())
            || WorkloadCertificate.GetSpiffeId(leaf) != response.SpiffeId
            || WorkloadCertificate.GetConstitutionalHash(leaf) != response.ConstitutionalHash
            || PeerCertificateValidator.Verify(leaf, intermediates, anchors, _time.GetUtcNow()) is not null)
        {
            throw new CryptographicException("the control plane's certificate does not match this sidecar's key, identity or trust bundle");
        }

        var withKey = leaf.CopyWithPrivateKey(_key);
        return new WorkloadCredential(withKey, intermediates, anchors, response.SpiffeId, response.ConstitutionalHash, response.Serial, _time.GetUtcNow())
        {
            ControlPlaneToken = response.ControlPlaneToken,
            ControlPlaneTokenExpiresAt = response.ControlPlaneTokenExpiresAt ?? response.NotAfter,
        };
    }

    [LoggerMessage(9000, LogLevel.Information, "[cdd01ef066bc6cf2] workload certificate {SpiffeId} serial {Serial} in use, valid until {NotAfter:u}")]
    private partial void LogIssued(string spiffeId, string serial, DateTimeOffset notAfter);

    [LoggerMessage(9001, LogLevel.Warning, "[cdd01ef066bc6cf2] workload certificate request failed (retrying with backoff): {Error}")]
    private partial void LogFailed(string error);
}
