// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;
using Acgs.ControlPlane.Metering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.ControlPlane.Tests.Metering;

/// <summary>The embedded metering store (dedup by id, durable across a reopen, retention) and the totals of a query.</summary>
public sealed class MeteringStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 15, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-metering-store", Guid.NewGuid().ToString("N"));

    private static MeteringWindow Window(string id, long start, params MeteringRow[] rows) =>
        new() { Id = id, Service = "audit-ledger", Node = "n1", StartUnixMs = start, EndUnixMs = start + 10_000, Rows = [.. rows] };

    private static MeteringRow Row(string source, string tenant, long count) => new() { Source = source, Operation = "/api", Tenant = tenant, StatusClass = 2, Count = count, ResponseBytes = count * 10 };

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task AddAsync_SameIdTwiceAndAfterReopen_StoredOnce()
    {
        var time = new FakeTimeProvider(Now);
        var start = Now.ToUnixTimeMilliseconds() - 60_000;
        using (var store = new EmbeddedMeteringStore(_directory, time, new MeteringStoreOptions()))
        {
            Assert.Equal(2, await store.AddAsync([Window("w1", start, Row("a", "-", 3)), Window("w2", start + 10_000, Row("b", "t", 4))], CancellationToken.None));
            Assert.Equal(0, await store.AddAsync([Window("w1", start, Row("a", "-", 3))], CancellationToken.None));
        }

        using var reopened = new EmbeddedMeteringStore(_directory, time, new MeteringStoreOptions());
        Assert.Equal(1, await reopened.AddAsync([Window("w2", start + 10_000, Row("b", "t", 4)), Window("w3", start + 20_000, Row("a", "-", 1))], CancellationToken.None));
        var windows = await reopened.QueryAsync("audit-ledger", 0, long.MaxValue, CancellationToken.None);

        Assert.Equal(["w1", "w2", "w3"], windows.Select(w => w.Id).ToArray());
        Assert.Empty(await reopened.QueryAsync("other-service", 0, long.MaxValue, CancellationToken.None));
    }

    [Fact]
    public async Task Load_WindowPastRetention_LeftOut()
    {
        var old = Now.ToUnixTimeMilliseconds() - (long)TimeSpan.FromHours(3).TotalMilliseconds;
        using (var store = new EmbeddedMeteringStore(_directory, new FakeTimeProvider(Now), new MeteringStoreOptions()))
        {
            await store.AddAsync([Window("old", old, Row("a", "-", 1)), Window("new", Now.ToUnixTimeMilliseconds(), Row("a", "-", 1))], CancellationToken.None);
        }

        using var reopened = new EmbeddedMeteringStore(_directory, new FakeTimeProvider(Now), new MeteringStoreOptions { Retention = TimeSpan.FromHours(1) });

        Assert.Equal(["new"], (await reopened.QueryAsync(null, 0, long.MaxValue, CancellationToken.None)).Select(w => w.Id).ToArray());
    }

    [Fact]
    public void Compute_GroupBySourceWithTenantFilter_SumsSortedAndCsv()
    {
        var windows = new[] { Window("w1", 1, Row("a", "t1", 3), Row("b", "t1", 5), Row("a", "t2", 100)), Window("w2", 2, Row("a", "t1", 4)) };
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?tenant=t1&group_by=source&format=csv");
        var errors = new List<string>();
        var query = MeteringQuery.Parse(context.Request, Now, errors);

        var totals = MeteringTotals.Compute(windows, query);

        Assert.Empty(errors);
        Assert.Equal([("a", 7L), ("b", 5L)], totals.Select(t => (t.Group["source"], t.Count)).ToArray());
        Assert.Equal("source,count,request_bytes,response_bytes,duration_us\na,7,0,70,0\nb,5,0,50,0\n", MeteringTotals.Csv(totals, query));
    }

    [Fact]
    public void Parse_BadParameters_EveryProblemNamed()
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?from=yesterday&group_by=source,colour&format=xml");
        var errors = new List<string>();

        MeteringQuery.Parse(context.Request, Now, errors);

        Assert.Equal(3, errors.Count);
        Assert.StartsWith("from: must be an RFC 3339 time", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("group_by: 'colour' is not one of service, source", errors[1], StringComparison.Ordinal);
        Assert.Equal("format: must be json or csv", errors[2]);
    }
}
