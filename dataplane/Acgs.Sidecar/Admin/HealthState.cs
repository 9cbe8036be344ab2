// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Admin;

/// <summary>What the health endpoints report: started, app reachable, draining. Thread-safe flags.</summary>
internal sealed class HealthState
{
    private volatile bool _started;
    private volatile bool _appReachable;
    private volatile bool _draining;
    private volatile string _appProbeError = "not probed yet";

    /// <summary>True once the host has started.</summary>
    public bool Started => _started;

    /// <summary>True when the last TCP probe of the local app succeeded.</summary>
    public bool AppReachable => _appReachable;

    /// <summary>Why the last probe failed (empty after a success).</summary>
    public string AppProbeError => _appProbeError;

    /// <summary>True once draining began (POST /drain or SIGTERM).</summary>
    public bool Draining => _draining;

    /// <summary>Marks the host as started.</summary>
    public void MarkStarted() => _started = true;

    /// <summary>Records a probe outcome.</summary>
    public void SetAppReachable(bool reachable, string error)
    {
        _appProbeError = error;
        _appReachable = reachable;
    }

    /// <summary>Starts draining; returns false when it had already begun.</summary>
    public bool BeginDrain()
    {
        var was = _draining;
        _draining = true;
        return !was;
    }
}
