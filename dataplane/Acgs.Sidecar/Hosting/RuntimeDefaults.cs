// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// Runtime settings that are part of the sidecar binary, whoever starts it (a container, the
/// injector, <c>./acgs up</c>, a user running the executable): no environment variable is needed
/// for the sidecar to run as efficiently as it was measured.
/// <list type="bullet">
/// <item>Workstation, non-concurrent GC and the thread pool's spin limit of 0 are build settings of
/// the project (<c>ServerGarbageCollection</c>, <c>ConcurrentGarbageCollection</c> and the
/// <c>System.Threading.ThreadPool.UnfairSemaphoreSpinLimit</c> runtime option in the project file),
/// embedded in the runtimeconfig of the JIT build and in the Native AOT executable. The usual
/// <c>DOTNET_*</c> environment variables still override them.</item>
/// <item>Inline socket completions have no runtime option: the socket engine reads only the
/// environment variable <see cref="InlineCompletionsVariable"/>, once, when the first socket is
/// created. <see cref="Apply"/> sets it for this process, before any socket exists, unless the
/// environment already says otherwise (<c>0</c> turns it off).</item>
/// </list>
/// <see cref="RuntimeSettings.Capture"/> reports what is in effect (admin <c>GET /runtime</c> and the
/// start-up log line).
/// </summary>
internal static class RuntimeDefaults
{
    /// <summary>The socket engine's switch: continuations run on the epoll thread that saw the event.</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>The thread pool's spin limit, as an environment variable (overrides the built-in 0).</summary>
    public const string SpinLimitVariable = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";

    /// <summary>The thread pool's spin limit, as a runtime option (runtimeconfig / AOT).</summary>
    public const string SpinLimitOption = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    /// <summary>True when <see cref="Apply"/> set <see cref="InlineCompletionsVariable"/> (it was unset).</summary>
    public static bool InlineCompletionsDefaulted { get; private set; }

    /// <summary>Sets the built-in defaults that only exist as environment variables. Call first thing
    /// in <c>Main</c>, before anything opens a socket.</summary>
    public static void Apply()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(InlineCompletionsVariable)))
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
            InlineCompletionsDefaulted = true;
        }
    }
}
