// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Telemetry;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// The policies this replica's last rebuild left out of a service's snapshot (<see cref="QuarantineResolver"/>), and the
/// services whose snapshot did not compile even so. Never silent: <c>acgs_controlplane_quarantined_policies{policy}</c>
/// counts the services each policy is quarantined for, a warning names it on entering (then at most once per
/// <see cref="WarningInterval"/> while it stays), and an information line when it compiles again. Written by the rebuild only.
/// </summary>
internal sealed class PolicyQuarantine(ControlPlaneMetrics metrics, TimeProvider time, ILogger logger)
{
    /// <summary>How often a policy that stays quarantined is logged again.</summary>
    public static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, IReadOnlyList<QuarantinedPolicy>> _byService = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _failing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _warned = new(StringComparer.Ordinal);

    /// <summary>Records one service's compile result.</summary>
    public void Record(string service, CompileResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Snapshot is null)
        {
            _failing[service] = result.Errors;
            return;
        }

        _failing.TryRemove(service, out _);
        if (result.Quarantined.Count == 0)
        {
            _byService.TryRemove(service, out _);
        }
        else
        {
            _byService[service] = result.Quarantined;
        }
    }

    /// <summary>Forgets services without watchers, then updates the gauge and logs (once per rebuild).</summary>
    public void Publish(IReadOnlySet<string> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var service in _byService.Keys)
        {
            if (!services.Contains(service))
            {
                _byService.TryRemove(service, out _);
            }
        }

        foreach (var service in _failing.Keys)
        {
            if (!services.Contains(service))
            {
                _failing.TryRemove(service, out _);
            }
        }

        var counts = new SortedDictionary<string, (int Services, QuarantinedPolicy First, string Service)>(StringComparer.Ordinal);
        foreach (var (service, policies) in _byService)
        {
            foreach (var policy in policies)
            {
                counts[policy.PolicyId] = counts.TryGetValue(policy.PolicyId, out var seen) ? (seen.Services + 1, seen.First, seen.Service) : (1, policy, service);
            }
        }

        var now = time.GetUtcNow();
        foreach (var (id, (count, first, service)) in counts)
        {
            metrics.QuarantinedPolicies.WithLabels(id).Set(count);
            if (!_warned.TryGetValue(id, out var last) || now - last >= WarningInterval)
            {
                _warned[id] = now;
                DistributionLog.Quarantined(logger, id, first.Version, count, service, string.Join("; ", first.Errors));
            }
        }

        foreach (var id in _warned.Keys.ToList())
        {
            if (!counts.ContainsKey(id))
            {
                _warned.Remove(id);
                metrics.QuarantinedPolicies.RemoveLabelled(id);
                DistributionLog.Released(logger, id);
            }
        }
    }

    /// <summary>Where policy <paramref name="id"/> is quarantined, by service.</summary>
    public List<QuarantineView> Of(string id)
    {
        var views = new List<QuarantineView>();
        foreach (var (service, policies) in _byService)
        {
            foreach (var policy in policies)
            {
                if (string.Equals(policy.PolicyId, id, StringComparison.Ordinal))
                {
                    views.Add(new QuarantineView(service, policy.Version, policy.Errors));
                }
            }
        }

        views.Sort(static (a, b) => string.CompareOrdinal(a.Service, b.Service));
        return views;
    }

    /// <summary>The policies quarantined for <paramref name="service"/>.</summary>
    public IReadOnlyList<QuarantinedPolicy> ForService(string service) => _byService.GetValueOrDefault(service) ?? [];

    /// <summary>The errors of <paramref name="service"/>'s last compile when it failed even with quarantine, else empty.</summary>
    public IReadOnlyList<string> FailingErrors(string service) => _failing.GetValueOrDefault(service) ?? [];
}
