// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;

namespace Acgs.Perf.Convergence;

/// <summary>The light watchers' look at a snapshot line (<see cref="SimulatedSidecar"/>).</summary>
internal static class LineScanner
{
    /// <summary>
    /// Reads type (a snapshot or a delta line), version and nonce (the line's first properties) and snapshot.inbound.breaker.fail_max from one NDJSON line
    /// without building a DOM: the reader stops at the snapshot, and only the <c>"inbound":</c> object is read, found by search
    /// (no cluster of the benchmark is named inbound), so a scan costs microseconds however many clusters the snapshot holds.
    /// </summary>
    public static bool Scan(ReadOnlySpan<byte> line, out string? version, out string? nonce, out int failMax)
    {
        version = null;
        nonce = null;
        failMax = 0;
        var snapshot = false;
        var reader = new Utf8JsonReader(line);
        string? property = null;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth == 1))
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                property = reader.GetString();
            }
            else if (reader.TokenType == JsonTokenType.String && reader.CurrentDepth == 1)
            {
                if (property == "type")
                {
                    snapshot = reader.ValueTextEquals("snapshot"u8) || reader.ValueTextEquals("delta"u8);
                }
                else if (property == "version")
                {
                    version = reader.GetString();
                }
                else if (property == "nonce")
                {
                    nonce = reader.GetString();
                }
            }
        }

        var inbound = line.IndexOf("\"inbound\":"u8);
        if (inbound >= 0)
        {
            var breaker = new Utf8JsonReader(line[(inbound + "\"inbound\":"u8.Length)..]);
            string? name = null;
            while (breaker.Read() && breaker.CurrentDepth >= 0 && !(breaker.TokenType == JsonTokenType.EndObject && breaker.CurrentDepth == 0))
            {
                if (breaker.TokenType == JsonTokenType.PropertyName)
                {
                    name = breaker.GetString();
                }
                else if (breaker.TokenType == JsonTokenType.Number && breaker.CurrentDepth == 2 && name == "fail_max")
                {
                    failMax = breaker.GetInt32();
                    break;
                }
            }
        }

        return snapshot && version is not null && nonce is not null;
    }
}
