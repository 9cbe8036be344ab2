// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Acgs.ControlPlane.Store;

/// <summary>The JSON form of stored records (snake_case), shared by both stores.</summary>
internal static class StoreJson
{
    /// <summary>Options for records in the store.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };
}
