// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Identity;

/// <summary>
/// This sidecar's current workload identity: the <see cref="WorkloadCredential"/> in use (swapped atomically on
/// renewal; null until the first certificate arrives or when identity is off) and the renewal status for <c>/identity</c>.
/// Read on every TLS handshake, never per request.
/// </summary>
internal sealed class WorkloadIdentity
{
    private WorkloadCredential? _current;
    private volatile string? _lastError;
    private long _renewals;
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkloadIdentity(IdentitySettings settings, IdentityMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Metrics = metrics;
    }

    /// <summary>The identity metrics.</summary>
    public IdentityMetrics Metrics { get; }

    /// <summary>The settings.</summary>
    public IdentitySettings Settings { get; }

    /// <summary>True when identity is on.</summary>
    public bool Enabled => Settings.Enabled;

    /// <summary>The credential in use, or null.</summary>
    public WorkloadCredential? Current => Volatile.Read(ref _current);

    /// <summary>The last failure, or null after a success.</summary>
    public string? LastError => _lastError;

    /// <summary>Certificates obtained since start (the first one included).</summary>
    public long Certificates => Interlocked.Read(ref _renewals);

    /// <summary>Completes when the first credential is in use.</summary>
    public Task FirstCredential => _first.Task;

    /// <summary>Raised after a new credential is in use.</summary>
    public event EventHandler<WorkloadCredential>? Changed;

    /// <summary>Swaps in <paramref name="credential"/>: new handshakes use it, open connections keep theirs.</summary>
    public void Set(WorkloadCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        Volatile.Write(ref _current, credential);
        _lastError = null;
        Interlocked.Increment(ref _renewals);
        Metrics.CertificateExpiry.Set(credential.NotAfter.ToUnixTimeSeconds());
        _first.TrySetResult();
        Changed?.Invoke(this, credential);
    }

    /// <summary>Records a failed attempt (the current credential, if any, keeps serving).</summary>
    public void SetError(string error) => _lastError = error;
}
