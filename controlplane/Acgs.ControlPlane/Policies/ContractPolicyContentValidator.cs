// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Policies;
using Acgs.Contracts.Serialization;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Policies;

/// <summary>
/// Validates content as a <see cref="PolicyDocument"/> with the shared contract validator
/// (<see cref="PolicyValidator"/>, the one the sidecars use) under this control plane's accepted hashes,
/// and requires the document's <c>name</c> to be the policy id. When the JSON does not even map onto a
/// policy document, the mapping error is reported together with the basic checks (kind, hash) so the
/// caller still sees every problem at once.
/// </summary>
internal sealed class ContractPolicyContentValidator : IPolicyContentValidator
{
    private readonly PolicyValidator _validator;
    private readonly ConstitutionalHashValidator _hashes;

    public ContractPolicyContentValidator(ConstitutionalHashSet acceptedHashes)
    {
        _validator = new PolicyValidator(acceptedHashes);
        _hashes = new ConstitutionalHashValidator(acceptedHashes);
    }

    /// <summary>Maps <paramref name="content"/> onto a policy document, or null with <paramref name="error"/>.</summary>
    public static PolicyDocument? TryParse(JsonElement content, out string? error)
    {
        try
        {
            error = null;
            return content.Deserialize(AcgsJsonContext.Default.PolicyDocument);
        }
        catch (JsonException ex)
        {
            error = "content: " + ex.Message;
            return null;
        }
    }

    public IReadOnlyList<string> Validate(JsonElement content, string policyId)
    {
        var document = TryParse(content, out var error);
        if (document is null)
        {
            var errors = new List<string> { error ?? "content: must be a policy document" };
            BasicChecks(content, errors);
            return errors;
        }

        var messages = new List<string>(_validator.Validate(document).Messages);
        if (!string.IsNullOrEmpty(document.Name) && !string.Equals(document.Name, policyId, StringComparison.Ordinal))
        {
            messages.Add($"name: must equal the policy id '{policyId}'");
        }

        return messages;
    }

    private void BasicChecks(JsonElement content, List<string> errors)
    {
        if (!content.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String || !PolicyKinds.TryParse(kind.GetString(), out _))
        {
            errors.Add("kind: is required and must be one of " + string.Join(", ", PolicyKinds.Names));
        }

        if (!content.TryGetProperty("constitutional_hash", out var hash) || hash.ValueKind != JsonValueKind.String)
        {
            errors.Add("constitutional_hash: is required");
        }
        else if (_hashes.Validate(hash.GetString().AsSpan()) is var result && result != HashValidationResult.Valid)
        {
            errors.Add("constitutional_hash: is not accepted (" + result.ToReason() + ")");
        }
    }
}
