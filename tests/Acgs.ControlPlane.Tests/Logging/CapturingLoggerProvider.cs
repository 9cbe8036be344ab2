// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Tests.Logging;

/// <summary>A logger provider that keeps every formatted log line as "Level message" in <see cref="Lines"/>.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    /// <summary>The lines logged so far, oldest first.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Capturing(Lines);

    public void Dispose()
    {
    }

    private sealed class Capturing(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(logLevel + " " + formatter(state, exception));
    }
}
