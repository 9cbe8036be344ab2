// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Acgs.Contracts.Bus;

/// <summary>Writes <see cref="MessagePriority"/> as its number; reads the number (0–3) or the name, case-insensitively.</summary>
public sealed class MessagePriorityJsonConverter : JsonConverter<MessagePriority>
{
    /// <inheritdoc/>
    public override MessagePriority Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt32(out var number) && number is >= 0 and <= 3)
            {
                return (MessagePriority)number;
            }
        }
        else if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("LOW") || reader.ValueTextEquals("low"))
            {
                return MessagePriority.Low;
            }

            if (reader.ValueTextEquals("NORMAL") || reader.ValueTextEquals("normal"))
            {
                return MessagePriority.Normal;
            }

            if (reader.ValueTextEquals("HIGH") || reader.ValueTextEquals("high"))
            {
                return MessagePriority.High;
            }

            if (reader.ValueTextEquals("CRITICAL") || reader.ValueTextEquals("critical"))
            {
                return MessagePriority.Critical;
            }
        }

        throw new JsonException("priority must be 0-3 or LOW, NORMAL, HIGH, CRITICAL");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, MessagePriority value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue((byte)value);
    }
}
