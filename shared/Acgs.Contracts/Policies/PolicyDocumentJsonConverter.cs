// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Acgs.Contracts.Policies;

/// <summary>
/// Reads and writes <see cref="PolicyDocument"/>: the <c>spec</c> object is read as the spec type of <c>kind</c>,
/// whatever the property order; an unknown kind keeps <see cref="PolicyDocument.Spec"/> null (the validator
/// reports it). Unknown properties are refused. Uses the options' type-info resolver (AOT-safe with
/// <c>AcgsJsonContext</c>).
/// </summary>
public sealed class PolicyDocumentJsonConverter : JsonConverter<PolicyDocument>
{
    /// <inheritdoc/>
    public override PolicyDocument? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a policy must be a JSON object");
        }

        using var document = JsonDocument.ParseValue(ref reader);
        var policy = new PolicyDocument();
        JsonElement? spec = null;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            switch (property.Name)
            {
                case "kind":
                    policy = policy with { Kind = ReadString(property) ?? string.Empty };
                    break;
                case "name":
                    policy = policy with { Name = ReadString(property) ?? string.Empty };
                    break;
                case "target":
                    policy = policy with { Target = ReadString(property) ?? string.Empty };
                    break;
                case "constitutional_hash":
                    policy = policy with { ConstitutionalHash = ReadString(property) };
                    break;
                case "spec":
                    spec = property.Value;
                    break;
                default:
                    throw new JsonException($"unknown policy property '{Shorten(property.Name)}'");
            }
        }

        if (spec is { ValueKind: not JsonValueKind.Null } element && policy.TryGetKind(out var kind))
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("spec must be a JSON object");
            }

            try
            {
                policy = policy with { Spec = (PolicySpec?)element.Deserialize(options.GetTypeInfo(PolicyKinds.SpecType(kind))) };
            }
            catch (JsonException ex)
            {
                throw new JsonException($"spec{ex.Path?.TrimStart('$')}: {ex.Message}", ex);
            }
        }

        return policy;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, PolicyDocument value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        writer.WriteStartObject();
        writer.WriteString("kind", value.Kind);
        writer.WriteString("name", value.Name);
        writer.WriteString("target", value.Target);
        if (value.ConstitutionalHash is not null)
        {
            writer.WriteString("constitutional_hash", value.ConstitutionalHash);
        }

        if (value.Spec is not null)
        {
            writer.WritePropertyName("spec");
            JsonSerializer.Serialize(writer, value.Spec, options.GetTypeInfo(value.Spec.GetType()));
        }

        writer.WriteEndObject();
    }

    private static string? ReadString(JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.String => property.Value.GetString(),
        JsonValueKind.Null => null,
        _ => throw new JsonException($"{property.Name} must be a string"),
    };

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
