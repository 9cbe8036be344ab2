// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Testing.Redis;

/// <summary>redis-server could not be started (missing, exited, or never answered <c>PING</c>).</summary>
public sealed class RedisServerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedisServerStartException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RedisServerStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public RedisServerStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
