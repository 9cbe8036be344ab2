// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Policies;

/// <summary>The typed <c>spec</c> of a <see cref="PolicyDocument"/>; one sealed record per <see cref="PolicyKind"/>.</summary>
public abstract record PolicySpec
{
    private protected PolicySpec()
    {
    }

    /// <summary>The kind this spec belongs to (not serialized: the document carries it).</summary>
    [JsonIgnore]
    public abstract PolicyKind Kind { get; }

    /// <summary>Adds every problem of this spec to <paramref name="errors"/>, with paths under <paramref name="path"/>.</summary>
    internal abstract void Validate(ValidationBuilder errors, string path);
}
