// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Hosting;

namespace Acgs.ControlPlane.Identity;

/// <summary>
/// Loads the <see cref="CertificateAuthority"/> once, at start (a hosted service, so a bad CA stops the control plane
/// before it serves), from the operator's files or the store's generated CA.
/// </summary>
internal sealed class CertificateAuthorityProvider : IHostedService, IDisposable
{
    private readonly IdentityOptions _options;
    private readonly IIdentityStore _store;
    private readonly TimeProvider _time;
    private CertificateAuthority? _authority;

    public CertificateAuthorityProvider(IdentityOptions options, IIdentityStore store, TimeProvider time)
    {
        _options = options;
        _store = store;
        _time = time;
    }

    /// <summary>The SPIFFE trust domain.</summary>
    public string TrustDomain => _options.TrustDomain;

    /// <summary>The CA, or null before start.</summary>
    public CertificateAuthority? Current => Volatile.Read(ref _authority);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var now = _time.GetUtcNow();
        CertificateAuthority? authority;
        if (_options.CaCertificatePath is not null)
        {
            authority = CertificateAuthorityLoader.FromFiles(_options, now, errors);
        }
        else
        {
            var pem = await _store.GetOrCreateCaAsync(() => CertificateAuthorityLoader.Generate(_options.TrustDomain, now), cancellationToken).ConfigureAwait(false);
            authority = CertificateAuthorityLoader.FromStoredPem(pem, _options, errors);
        }

        if (authority is null)
        {
            throw new InvalidOperationException("Invalid identity settings: " + string.Join("; ", errors));
        }

        Volatile.Write(ref _authority, authority);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _authority?.Dispose();
}
