// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Acgs.ControlPlane.Policies;

/// <summary>
/// Canonical JSON in the manner of RFC 8785 (JCS): object members sorted by ordinal key, no
/// insignificant whitespace, integers written plainly and other numbers as shortest round-trip
/// doubles, strings with minimal escaping. Equal documents give equal bytes, so the SHA-256 of
/// the canonical form identifies content whatever its original formatting.
/// </summary>
internal static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>The canonical UTF-8 bytes of <paramref name="element"/>.</summary>
    public static byte[] ToBytes(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, element);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Lowercase hex SHA-256 of <paramref name="canonical"/>.</summary>
    public static string Sha256(ReadOnlySpan<byte> canonical) => Convert.ToHexStringLower(SHA256.HashData(canonical));

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    members.Add(property);
                }

                members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var member in members)
                {
                    writer.WritePropertyName(member.Name);
                    Write(writer, member.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var integer))
                {
                    writer.WriteNumberValue(integer);
                }
                else
                {
                    var value = element.GetDouble();
                    if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
                    {
                        writer.WriteNumberValue((long)value);
                    }
                    else
                    {
                        writer.WriteRawValue(value.ToString("R", CultureInfo.InvariantCulture), skipInputValidation: false);
                    }
                }

                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
