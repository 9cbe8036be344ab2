// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Http.Features;

namespace Acgs.Benchmarks;

/// <summary>
/// A response feature that holds the one completion callback a request registers and runs it on
/// <see cref="CompleteAsync"/>, as Kestrel's (reused) callback stack does: the benchmarks of the steps that finish their
/// work in a completion callback (telemetry, metering, the access log) measure that callback too.
/// </summary>
internal sealed class CompletingResponseFeature : HttpResponseFeature
{
    private Func<object, Task>? _callback;
    private object? _state;

    public override void OnCompleted(Func<object, Task> callback, object state)
    {
        _callback = callback;
        _state = state;
    }

    /// <summary>Runs the registered callback once (none registered: nothing to run).</summary>
    public Task CompleteAsync()
    {
        var callback = _callback;
        _callback = null;
        return callback is null ? Task.CompletedTask : callback(_state!);
    }
}
