// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Policies;

/// <summary>Blue/green traffic weights of the target service (kind <c>TrafficSplit</c>); the weights sum to 100.</summary>
/// <param name="BlueCluster">The blue (current) cluster.</param>
/// <param name="BlueWeight">Percentage of traffic to blue, 0–100. Default 100.</param>
/// <param name="GreenCluster">The green (new) cluster.</param>
/// <param name="GreenWeight">Percentage of traffic to green, 0–100. Default 0.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TrafficSplitSpec(
    string BlueCluster = "",
    int BlueWeight = 100,
    string GreenCluster = "",
    int GreenWeight = 0) : PolicySpec
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override PolicyKind Kind => PolicyKind.TrafficSplit;

    internal override void Validate(ValidationBuilder errors, string path)
    {
        var blueOk = errors.ServiceName(BlueCluster, ValidationPath.Child(path, "blue_cluster"));
        var greenOk = errors.ServiceName(GreenCluster, ValidationPath.Child(path, "green_cluster"));
        if (blueOk && greenOk && string.Equals(BlueCluster, GreenCluster, StringComparison.Ordinal))
        {
            errors.Add(ValidationPath.Child(path, "green_cluster"), "must differ from blue_cluster");
        }

        var blueWeightOk = errors.Range(BlueWeight, 0, 100, ValidationPath.Child(path, "blue_weight"));
        var greenWeightOk = errors.Range(GreenWeight, 0, 100, ValidationPath.Child(path, "green_weight"));
        if (blueWeightOk && greenWeightOk && BlueWeight + GreenWeight != 100)
        {
            errors.Add(path, $"blue_weight and green_weight must sum to 100, got {BlueWeight + GreenWeight}");
        }
    }
}
