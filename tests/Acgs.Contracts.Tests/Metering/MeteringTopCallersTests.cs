// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;
using Xunit;

namespace Acgs.Contracts.Tests.Metering;

/// <summary>The fold shared by <c>acgsctl metering top</c> and the status page: requests and messages apart, largest first.</summary>
public sealed class MeteringTopCallersTests
{
    private static MeteringTotal Total(string service, string source, string kind, long count, long durationUs = 0) => new()
    {
        Group = new Dictionary<string, string>(StringComparer.Ordinal) { ["service"] = service, ["source"] = source, ["kind"] = kind },
        Count = count,
        RequestBytes = count * 10,
        ResponseBytes = count,
        DurationUs = durationUs,
    };

    [Fact]
    public void Rank_HttpAndBusOfOneCaller_OneRowWithRequestsAndMessagesApart()
    {
        var ranked = MeteringTopCallers.Rank([Total("ledger", "planner", "http", 4, 8_000), Total("ledger", "planner", "bus", 6, 0)], 10);

        var row = Assert.Single(ranked);
        Assert.Equal(("ledger", "planner", 4L, 6L, 100L, 10L), (row.Service, row.Source, row.Requests, row.Messages, row.RequestBytes, row.ResponseBytes));
        Assert.Equal(2.0, row.MeanMs);
    }

    [Fact]
    public void Rank_SeveralCallers_LargestFirstTiesByNameAndLimited()
    {
        var ranked = MeteringTopCallers.Rank(
            [Total("ledger", "b", "http", 5), Total("ledger", "a", "bus", 5), Total("search", "c", "http", 9), Total("ledger", "d", "http", 1)], 3);

        Assert.Equal(["search/c", "ledger/a", "ledger/b"], ranked.Select(r => r.Service + "/" + r.Source).ToArray());
        Assert.Null(ranked[1].MeanMs);
    }

    [Fact]
    public void Query_ServiceWithReservedCharacters_Escaped()
    {
        Assert.Equal("api/v1/metering?group_by=service,source,kind&from=42", MeteringTopCallers.Query(42, null));
        Assert.Equal("api/v1/metering?group_by=service,source,kind&from=42&service=a%26b%3Dc", MeteringTopCallers.Query(42, "a&b=c"));
    }
}
