// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Acgs.Core.Logging;

namespace Acgs.Sidecar.AccessLog;

/// <summary>The two line formats (docs/observability.md, "Access log").</summary>
internal sealed partial class AccessLogWriter
{
    /// <summary>Client-sent values (path, user agent, request id, authority) are cut to this many characters.</summary>
    public const int MaxValueChars = 512;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.Default, SkipValidation = true };
    private Utf8JsonWriter? _json;

    /// <summary>Appends the line of <paramref name="entry"/> (with its newline) to <paramref name="buffer"/>.</summary>
    internal void Format(in AccessLogEntry entry, ArrayBufferWriter<byte> buffer)
    {
        if (_options.Format == LogFormat.Json)
        {
            FormatJson(entry, buffer);
        }
        else
        {
            Encoding.UTF8.GetBytes(FormatText(entry), buffer);
        }

        buffer.Write("\n"u8);
    }

    private void FormatJson(in AccessLogEntry e, ArrayBufferWriter<byte> buffer)
    {
        var json = _json ??= new Utf8JsonWriter(buffer, JsonOptions);
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteString("start_time", e.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("listener", e.Listener);
        json.WriteString("method", e.Method);
        json.WriteString("path", Cut(e.Path));
        json.WriteString("protocol", e.Protocol);
        json.WriteNumber("status", e.Status);
        Optional(json, "upstream_error", e.UpstreamError);
        OptionalNumber(json, "bytes_received", e.BytesReceived);
        OptionalNumber(json, "bytes_sent", e.BytesSent);
        json.WriteNumber("duration_ms", Math.Round(e.DurationMs, 3));
        if (e.UpstreamMs >= 0)
        {
            json.WriteNumber("upstream_ms", Math.Round(e.UpstreamMs, 3));
        }

        Optional(json, "authority", Cut(e.Authority));
        Optional(json, "user_agent", Cut(e.UserAgent));
        Optional(json, "request_id", Cut(e.RequestId));
        Optional(json, "cluster", e.Cluster);
        Optional(json, "upstream_host", e.UpstreamHost);
        Optional(json, "caller", e.Caller);
        if (e.TraceId != default)
        {
            json.WriteString("trace_id", e.TraceId.ToHexString());
        }

        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>
    /// Envoy's default format, then the mesh's fields: <c>[start] "METHOD PATH PROTOCOL" STATUS UPSTREAM_ERROR
    /// BYTES_RECEIVED BYTES_SENT DURATION_MS UPSTREAM_MS "REQUEST_ID" "AUTHORITY" "USER_AGENT" LISTENER CLUSTER
    /// UPSTREAM_HOST CALLER TRACE_ID</c>; <c>-</c> for what is absent. Quotes and control characters in client-sent
    /// values are replaced by <c>?</c>, so one request is always one line.
    /// </summary>
    private static string FormatText(in AccessLogEntry e)
    {
        var line = new StringBuilder(256);
        line.Append('[').Append(e.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append("] \"")
            .Append(e.Method).Append(' ');
        Clean(line, e.Path);
        line.Append(' ').Append(e.Protocol).Append("\" ").Append(e.Status.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(e.UpstreamError ?? "-").Append(' ')
            .Append(e.BytesReceived is { } received ? received.ToString(CultureInfo.InvariantCulture) : "-").Append(' ')
            .Append(e.BytesSent is { } sent ? sent.ToString(CultureInfo.InvariantCulture) : "-").Append(' ')
            .Append(e.DurationMs.ToString("0.###", CultureInfo.InvariantCulture)).Append(' ')
            .Append(e.UpstreamMs >= 0 ? e.UpstreamMs.ToString("0.###", CultureInfo.InvariantCulture) : "-").Append(" \"");
        Clean(line, e.RequestId);
        line.Append("\" \"");
        Clean(line, e.Authority);
        line.Append("\" \"");
        Clean(line, e.UserAgent);
        line.Append("\" ").Append(e.Listener).Append(' ').Append(e.Cluster ?? "-").Append(' ').Append(e.UpstreamHost ?? "-").Append(' ')
            .Append(e.Caller ?? "-").Append(' ').Append(e.TraceId != default ? e.TraceId.ToHexString() : "-");
        return line.ToString();
    }

    private static void Clean(StringBuilder line, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            line.Append('-');
            return;
        }

        var length = Math.Min(value.Length, MaxValueChars);
        for (var i = 0; i < length; i++)
        {
            var c = value[i];
            line.Append(c is '"' or '\\' || char.IsControl(c) ? '?' : c);
        }
    }

    private static string? Cut(string? value) => value is { Length: > MaxValueChars } ? value[..MaxValueChars] : value;

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void OptionalNumber(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
    }
}
