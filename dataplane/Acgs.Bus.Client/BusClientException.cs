// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;

namespace Acgs.Bus.Client;

/// <summary>The sidecar refused a registration or closed the connection.</summary>
public sealed class BusClientException : Exception
{
    public BusClientException()
    {
    }

    public BusClientException(string message)
        : base(message)
    {
    }

    public BusClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BusClientException(BusErrorCode code, string message)
        : base(message) => Code = code;

    /// <summary>The error code the sidecar sent (none for transport failures).</summary>
    public BusErrorCode Code { get; }
}
