// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.ControlPlane.Store;

namespace Acgs.ControlPlane.Policies;

/// <summary>A version as the API shows it; <see cref="Content"/> only on the single-version endpoint.</summary>
internal sealed record PolicyVersionView(
    string Version,
    PolicyVersionStatus Status,
    string ContentSha256,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? RetiredAt,
    JsonElement? Content)
{
    /// <summary>The view of a stored version.</summary>
    public static PolicyVersionView From(PolicyVersionRecord record, bool withContent)
    {
        ArgumentNullException.ThrowIfNull(record);
        JsonElement? content = null;
        if (withContent)
        {
            using var document = JsonDocument.Parse(record.Content);
            content = document.RootElement.Clone();
        }

        return new(record.Version, record.Status, record.ContentSha256, record.CreatedAt, record.ActivatedAt, record.RetiredAt, content);
    }
}
