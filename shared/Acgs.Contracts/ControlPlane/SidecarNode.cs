// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.ControlPlane;

/// <summary>
/// The service and node that name a sidecar in the control plane's URLs (<see cref="ControlPlaneRoutes"/>): the watch
/// query, health reports and deregistration, agent reports. Both sides check them with these rules.
/// </summary>
public static class SidecarNode
{
    /// <summary>Adds a problem for a bad <paramref name="service"/> (path <c>service</c>) and a bad <paramref name="node"/> (path <c>node</c>).</summary>
    public static void Validate(ValidationBuilder errors, string? service, string? node)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.ServiceName(service, "service");
        errors.NodeId(node, "node");
    }

    /// <summary>
    /// Every problem with a deregistration, <c>DELETE</c> <see cref="ControlPlaneRoutes.NodeHealth"/>: the control plane forgets
    /// the node at once instead of counting it open until it ages out. The request has no body.
    /// </summary>
    public static ValidationResult ValidateDeregistration(string? service, string? node)
    {
        var errors = new ValidationBuilder();
        Validate(errors, service, node);
        return errors.Build();
    }

    /// <summary>Every problem with a watch query (<see cref="ControlPlaneRoutes.Watch(string, string, string)"/>): service, node and the sidecar's inbound address.</summary>
    public static ValidationResult ValidateWatch(string? service, string? node, string? address) => ValidateWatch(service, node, address, deltas: null);

    /// <summary>Every problem with a watch query, <see cref="WatchLines.DeltasParameter"/> (absent, <c>0</c> or <c>1</c>) included.</summary>
    public static ValidationResult ValidateWatch(string? service, string? node, string? address, string? deltas)
    {
        var errors = new ValidationBuilder();
        Validate(errors, service, node);
        if (!ConfigSnapshotValidator.TryParseDestination(address, out _))
        {
            errors.Add("address", "must be the sidecar's inbound address, host:port or http(s)://host:port");
        }

        if (deltas is not null and not "0" and not "1")
        {
            errors.Add(WatchLines.DeltasParameter, "must be 0 or 1");
        }

        return errors.Build();
    }
}
