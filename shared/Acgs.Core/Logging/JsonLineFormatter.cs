// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Acgs.Core.Logging;

/// <summary>
/// One JSON object per line: <c>timestamp</c> (UTC, ISO-8601), <c>level</c>, <c>category</c>, <c>event_id</c>
/// (and <c>event_name</c>), <c>message</c>, <c>trace_id</c>/<c>span_id</c> when an <see cref="Activity"/> is current,
/// <c>exception</c> (its text, newlines escaped) and <c>state</c> (the message template's named values).
/// </summary>
public sealed class JsonLineFormatter : ConsoleFormatter
{
    /// <summary>The formatter's name (<c>ConsoleLoggerOptions.FormatterName</c>).</summary>
    public const string FormatterName = "acgs-json";

    private const string OriginalFormat = "{OriginalFormat}";
    private readonly TimeProvider _time;

    /// <summary>A formatter stamping entries with <paramref name="time"/>.</summary>
    public JsonLineFormatter(TimeProvider time)
        : base(FormatterName)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("level", LevelName(logEntry.LogLevel));
            json.WriteString("category", logEntry.Category);
            json.WriteNumber("event_id", logEntry.EventId.Id);
            if (!string.IsNullOrEmpty(logEntry.EventId.Name))
            {
                json.WriteString("event_name", logEntry.EventId.Name);
            }

            json.WriteString("message", message ?? string.Empty);
            if (Activity.Current is { } activity && activity.IdFormat == ActivityIdFormat.W3C)
            {
                json.WriteString("trace_id", activity.TraceId.ToHexString());
                json.WriteString("span_id", activity.SpanId.ToHexString());
            }

            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", exception.ToString());
            }

            WriteState(json, logEntry.State);
            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
    }

    private static void WriteState<TState>(Utf8JsonWriter json, TState state)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values || values.Count <= 1)
        {
            return;
        }

        json.WriteStartObject("state");
        for (var i = 0; i < values.Count; i++)
        {
            var (key, value) = values[i];
            if (key != OriginalFormat)
            {
                json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }

        json.WriteEndObject();
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "information",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };
}
