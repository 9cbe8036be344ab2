// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Discovery;

/// <summary>Validates a <see cref="SnapshotAck"/>, reporting every problem at once.</summary>
public static class SnapshotAckValidator
{
    /// <summary>Every problem with <paramref name="ack"/>; valid when empty.</summary>
    public static ValidationResult Validate(SnapshotAck? ack)
    {
        var errors = new ValidationBuilder();
        if (ack is null)
        {
            return errors.Add("body", "a JSON object with service_name, node_id and version is required").Build();
        }

        errors.ServiceName(ack.ServiceName, "service_name");
        errors.NodeId(ack.NodeId, "node_id");
        errors.Required(ack.Version, "version");
        return errors.Build();
    }
}
