// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Compiler;

/// <summary>
/// The snapshots <see cref="Policies.CompileCheck"/> compiled for a change it let through, handed to the next rebuild so
/// the change is compiled once: <see cref="IncrementalCompiler"/> takes a service's result when its key (the same
/// <see cref="IncrementalCompiler.KeyOf"/> over the same shared inputs and applicable policies) is the one the rebuild
/// computes, and stamps the rebuild's revision into its version (<see cref="SnapshotEncoding.WithRevision"/>). Holds the
/// last check's results only (a later check replaces them, a taken result is removed); a rebuild whose inputs differ
/// (another change came first, the commit failed) finds no matching key and compiles. Thread-safe.
/// </summary>
internal sealed class CompiledAhead
{
    private readonly Lock _lock = new();
    private Dictionary<string, (string Key, CompileResult Result)> _results = new(StringComparer.Ordinal);

    /// <summary>How many results a rebuild took instead of compiling, since creation.</summary>
    public long Taken { get; private set; }

    /// <summary>Replaces the held results by <paramref name="results"/> (service → key and compiled result).</summary>
    public void Offer(Dictionary<string, (string Key, CompileResult Result)> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        lock (_lock)
        {
            _results = results;
        }
    }

    /// <summary>The held result for <paramref name="service"/> when it was compiled for <paramref name="key"/> (and removes it), else null.</summary>
    public CompileResult? Take(string service, string key)
    {
        lock (_lock)
        {
            if (_results.TryGetValue(service, out var held) && string.Equals(held.Key, key, StringComparison.Ordinal))
            {
                _results.Remove(service);
                Taken++;
                return held.Result;
            }

            return null;
        }
    }
}
