// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Text.Json;
using Acgs.Contracts.Policies;
using Acgs.Contracts.Serialization;
using Acgs.Contracts.Validation;
using Xunit;

namespace Acgs.Contracts.Tests.Policies;

/// <summary>The Egress policy's JSON and validation.</summary>
public sealed class EgressSpecTests
{
    private static PolicyDocument Parse(string json) => JsonSerializer.Deserialize(json, AcgsJsonContext.Default.PolicyDocument)!;

    private static string[] Errors(params string[] services) =>
        [.. PolicyValidator.Default.Validate(PolicyDocument.Create("e", "orders", new EgressSpec([.. services]))).Errors.Select(e => e.ToString())];

    [Fact]
    public void Parse_FullPolicy_TypedSpecValid()
    {
        var policy = Parse("""
            {"kind":"Egress","name":"orders-calls","target":"orders","constitutional_hash":"cdd01ef066bc6cf2","spec":{"services":["payments","stock"]}}
            """);

        var spec = Assert.IsType<EgressSpec>(policy.Spec);
        Assert.True(PolicyValidator.Default.Validate(policy).IsValid);
        Assert.Equal(["payments", "stock"], spec.Services.ToArray());
        Assert.Equal(PolicyKind.Egress, spec.Kind);
    }

    [Fact]
    public void Parse_UnknownField_Refused()
    {
        Assert.Throws<JsonException>(() => Parse("""
            {"kind":"Egress","name":"e","target":"mesh","constitutional_hash":"cdd01ef066bc6cf2","spec":{"services":[],"hosts":["x"]}}
            """));
    }

    [Fact]
    public void Validate_EmptyOrMeshWide_Valid()
    {
        Assert.Empty(Errors());
        Assert.True(PolicyValidator.Default.Validate(PolicyDocument.Create("e", "mesh", new EgressSpec(["payments"]))).IsValid);
    }

    [Fact]
    public void Validate_ServicesLeftOut_RefusedAsRequired()
    {
        var policy = Parse("""
            {"kind":"Egress","name":"e","target":"mesh","constitutional_hash":"cdd01ef066bc6cf2","spec":{}}
            """);

        Assert.Equal(["spec.services: is required: the services the target calls ([] for none)"], PolicyValidator.Default.Validate(policy).Errors.Select(e => e.ToString()));
        Assert.Empty(Assert.IsType<EgressSpec>(policy.Spec).Services); // readers never see a default array
        Assert.True(PolicyValidator.Default.Validate(Parse("""
            {"kind":"Egress","name":"e","target":"mesh","constitutional_hash":"cdd01ef066bc6cf2","spec":{"services":[]}}
            """)).IsValid);
    }

    [Fact]
    public void Validate_BadAndDuplicateNames_OneProblemEachWithItsIndex()
    {
        Assert.Equal(
            [$"spec.services[1]: {ServiceName.Rule}", "spec.services[2]: appears more than once", $"spec.services[3]: {ServiceName.Rule}"],
            Errors("payments", "Payments", "payments", ""));
    }

    [Fact]
    public void Validate_MoreThanTheMaximum_Refused()
    {
        var many = Enumerable.Range(0, EgressSpec.MaxServices + 1).Select(i => "svc-" + i).ToArray();

        Assert.Empty(Errors(many[..EgressSpec.MaxServices]));
        Assert.Equal(["spec.services: must hold at most 256 services"], Errors(many));
    }
}
