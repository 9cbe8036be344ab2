// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// Counts the requests Kestrel refuses before the sidecar sees them (a malformed request line, headers over the limit,
/// a bad chunk, a request-headers timeout, a too slow body) as client faults (<see cref="ClientFaultLog"/>:
/// <c>acgs_client_faults_total{cause="kestrel_…"}</c>, one log line per cause per interval). Kestrel reports them only
/// through its <c>Microsoft.AspNetCore.Server.Kestrel.BadRequests</c> log category, so this is a logger provider that
/// receives that category alone (the other providers keep it switched off). Kestrel calls that category only for a
/// refused request: nothing on the good path.
/// </summary>
internal sealed class KestrelRejectionCounter : ILoggerProvider
{
    /// <summary>Kestrel's log category of refused requests.</summary>
    public const string Category = "Microsoft.AspNetCore.Server.Kestrel.BadRequests";

    private ClientFaultLog? _faults;

    /// <summary>Starts counting into <paramref name="faults"/> (the provider exists before the services are built).</summary>
    public void Attach(ClientFaultLog faults) => Volatile.Write(ref _faults, faults);

    public ILogger CreateLogger(string categoryName) =>
        string.Equals(categoryName, Category, StringComparison.Ordinal) ? new RejectionLogger(this) : NullLogger.Instance;

    public void Dispose()
    {
    }

    /// <summary>The cause a refusal is counted under (constant strings: nothing is built per refusal).</summary>
    internal static string Cause(EventId eventId, Exception? error) => error is BadHttpRequestException bad
        ? bad.StatusCode switch
        {
            StatusCodes.Status408RequestTimeout => "kestrel_request_timeout",
            StatusCodes.Status413PayloadTooLarge => "kestrel_body_too_large",
            StatusCodes.Status414UriTooLong => "kestrel_request_line_too_long",
            StatusCodes.Status431RequestHeaderFieldsTooLarge => "kestrel_headers_too_large",
            StatusCodes.Status505HttpVersionNotsupported => "kestrel_http_version",
            _ => "kestrel_bad_request",
        }
        : eventId.Name switch
        {
            "RequestBodyMinimumDataRateNotSatisfied" => "kestrel_request_body_too_slow",
            "ResponseMinimumDataRateNotSatisfied" => "kestrel_response_too_slow",
            "RequestProcessingError" => "kestrel_request_processing_error",
            _ => "kestrel_other",
        };

    private void Record(EventId eventId, Exception? error) => Volatile.Read(ref _faults)?.RecordError(Cause(eventId, error), error);

    private sealed class RejectionLogger(KestrelRejectionCounter owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Record(eventId, exception);
    }
}
