// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Acgs.Sidecar.Hosting;

/// <summary>The runtime settings in effect in this process (see <see cref="RuntimeDefaults"/>), each
/// with where it came from: <c>built-in</c> (the binary) or <c>environment</c> (a variable overrode it).</summary>
/// <param name="NativeAot">True in the Native AOT executable (no JIT).</param>
/// <param name="ServerGc">Server GC (false: workstation).</param>
/// <param name="ConcurrentGc">Background (concurrent) GC.</param>
/// <param name="InlineSocketCompletions">Socket continuations run inline on the epoll thread.</param>
/// <param name="InlineSocketCompletionsSource"><c>built-in</c> or <c>environment</c>.</param>
/// <param name="ThreadPoolSpinLimit">The thread pool's unfair-semaphore spin limit (runtime default 70).</param>
/// <param name="ThreadPoolSpinLimitSource"><c>built-in</c>, <c>environment</c> or <c>runtime default</c>.</param>
/// <param name="TieredCompilation">Tiered JIT compilation (JIT build only; false in AOT).</param>
/// <param name="ProcessorCount">CPUs the runtime sees (affinity and container limits applied).</param>
/// <param name="GcConserveMemory">The GC's conserve-memory level (0-9), as the GC reports it (<c>GCConserveMem</c>).</param>
/// <param name="GcRegionSize">The GC's region size setting in bytes (0: the runtime's default), as the GC reports it.</param>
/// <param name="TrimAfterStart">Whether <see cref="ResidentTrim"/> runs once the sidecar has started.</param>
/// <param name="TrimmedFileBytes">Read-only file pages it dropped from the resident set (0 before it ran).</param>
internal sealed record RuntimeSettings(
    bool NativeAot,
    bool ServerGc,
    bool ConcurrentGc,
    bool InlineSocketCompletions,
    string InlineSocketCompletionsSource,
    int ThreadPoolSpinLimit,
    string ThreadPoolSpinLimitSource,
    bool TieredCompilation,
    int ProcessorCount,
    long GcConserveMemory,
    long GcRegionSize,
    bool TrimAfterStart,
    long TrimmedFileBytes)
{
    private const int RuntimeDefaultSpinLimit = 70;

    /// <summary>Reads the settings in effect, the way the runtime reads them.</summary>
    public static RuntimeSettings Capture()
    {
        var nativeAot = !RuntimeFeature.IsDynamicCodeSupported;
        var inline = Environment.GetEnvironmentVariable(RuntimeDefaults.InlineCompletionsVariable) == "1";
        var (spin, spinSource) = SpinLimit();
        var gc = GC.GetConfigurationVariables();
        var tiered = !nativeAot && (AppContext.TryGetSwitch("System.Runtime.TieredCompilation", out var on) ? on : true)
            && Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") != "0";
        return new RuntimeSettings(
            nativeAot,
            GCSettings.IsServerGC,
            GCSettings.LatencyMode != GCLatencyMode.Batch,
            inline,
            RuntimeDefaults.InlineCompletionsDefaulted ? "built-in" : "environment",
            spin,
            spinSource,
            tiered,
            Environment.ProcessorCount,
            GcSetting(gc, "GCConserveMem"),
            GcSetting(gc, "GCRegionSize"),
            ResidentTrim.Enabled(Environment.GetEnvironmentVariable(ResidentTrim.Variable)),
            ResidentTrim.Last?.FileBytesDropped ?? 0);
    }

    /// <summary>One line for the start-up log.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{(NativeAot ? "native-aot" : "jit")}, {(ServerGc ? "server" : "workstation")} GC ({(ConcurrentGc ? "concurrent" : "non-concurrent")}), inline socket completions {(InlineSocketCompletions ? "on" : "off")} ({InlineSocketCompletionsSource}), thread-pool spin limit {ThreadPoolSpinLimit} ({ThreadPoolSpinLimitSource}), tiered compilation {(TieredCompilation ? "on" : "off")}, {ProcessorCount} CPUs, GC conserve memory {GcConserveMemory}, GC region size 0x{GcRegionSize:x}, trim after start {(TrimAfterStart ? "on" : "off")}");

    // A setting as the GC itself reports it (GC.GetConfigurationVariables, the GC's own names; the gen0 budget is not
    // among them); 0 when it is missing.
    private static long GcSetting(IReadOnlyDictionary<string, object> gc, string name) =>
        gc.TryGetValue(name, out var value) && value is long l ? l : 0;

    // The thread pool reads DOTNET_ThreadPool_UnfairSemaphoreSpinLimit first, then the runtime option.
    private static (int Value, string Source) SpinLimit()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable(RuntimeDefaults.SpinLimitVariable), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var fromEnv))
        {
            return (fromEnv, "environment");
        }

        return AppContext.GetData(RuntimeDefaults.SpinLimitOption) switch
        {
            string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) => (v, "built-in"),
            int v => (v, "built-in"),
            _ => (RuntimeDefaultSpinLimit, "runtime default"),
        };
    }
}
