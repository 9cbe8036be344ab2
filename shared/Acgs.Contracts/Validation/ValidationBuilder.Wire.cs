// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Validation;

/// <summary>The name rules of the control-plane wire contracts.</summary>
public sealed partial class ValidationBuilder
{
    /// <summary>Requires a service name (<see cref="Validation.ServiceName"/>).</summary>
    public bool ServiceName(string? value, string path)
    {
        if (Validation.ServiceName.IsValid(value))
        {
            return true;
        }

        Add(path, Validation.ServiceName.Rule);
        return false;
    }

    /// <summary>Requires a node id (<see cref="Validation.NodeId"/>).</summary>
    public bool NodeId(string? value, string path)
    {
        if (Validation.NodeId.IsValid(value))
        {
            return true;
        }

        Add(path, Validation.NodeId.Rule);
        return false;
    }
}
