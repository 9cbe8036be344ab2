// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;

namespace Acgs.ControlPlane.Policies;

/// <summary>Checks a policy version's content before anything is stored; every problem at once.</summary>
internal interface IPolicyContentValidator
{
    /// <summary>Every problem with <paramref name="content"/> as the content of policy <paramref name="policyId"/>, each naming its JSON path; empty when valid.</summary>
    IReadOnlyList<string> Validate(JsonElement content, string policyId);
}
