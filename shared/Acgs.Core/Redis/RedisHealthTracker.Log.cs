// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Logging;

namespace Acgs.Core.Redis;

/// <summary>Log messages of <see cref="RedisHealthTracker"/> (event ids 2100–2109).</summary>
public sealed partial class RedisHealthTracker
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2100, Level = LogLevel.Debug, Message = "Redis ping failed ({Failures} in a row): {Error}")]
        public static partial void PingFailed(ILogger logger, int failures, string error);

        [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = AcgsConstants.LogPrefix + " Redis is unhealthy after {Failures} consecutive failed pings: {Error}")]
        public static partial void BecameUnhealthy(ILogger logger, int failures, string error);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = AcgsConstants.LogPrefix + " Redis is healthy again")]
        public static partial void BecameHealthy(ILogger logger);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "A Redis health listener threw")]
        public static partial void ListenerFailed(ILogger logger, Exception exception);
    }
}
