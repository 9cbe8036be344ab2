// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.LoadTest.Scenarios;

/// <summary>The outcome of one step invocation: ok or fail, the status code (0 when no response
/// arrived: a transport error), and the bytes received.</summary>
public readonly record struct StepResult(bool IsOk, int StatusCode, long Bytes)
{
    /// <summary>A successful step.</summary>
    public static StepResult Ok(int statusCode = 200, long bytes = 0) => new(true, statusCode, bytes);

    /// <summary>A failed step; status 0 means no response (connect/transport error, timeout).</summary>
    public static StepResult Fail(int statusCode = 0, long bytes = 0) => new(false, statusCode, bytes);

    /// <summary>True when no response arrived at all (status 0).</summary>
    public bool IsTransportError => StatusCode == 0 && !IsOk;
}
