// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;
using Acgs.Contracts.RateLimiting;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Metering;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Metering;

/// <summary>What inbound metering records for an answered inbound request: every dimension of the key and both lengths.</summary>
public sealed class InboundMeteringTests
{
    [Fact]
    public void Record_MtlsCallerTenantAndLengths_OneRowWithEveryDimension()
    {
        var (recorder, metering) = Create();
        var context = Answered(new PeerIdentityFeature("spiffe://acgs.local/ns/governance/sa/vector-search"), "/api/entries/7", "tenant-a", 404, 512, 2048);

        Record(metering, context);
        Record(metering, context);

        var row = Assert.Single(recorder.Collect());
        Assert.Equal((MeteringKinds.Http, "vector-search", "/api", "tenant-a", 4, 2L, 1024L, 4096L),
            (row.Kind, row.Source, row.Operation, row.Tenant, row.StatusClass, row.Count, row.RequestBytes, row.ResponseBytes));
    }

    [Fact]
    public void Record_NoPeerNoTenantRootNoLengths_UnauthenticatedDashRootZeroBytes()
    {
        var (recorder, metering) = Create();

        Record(metering, Answered(null, "/", null, 200, null, null));
        Record(metering, Answered(new PeerIdentityFeature("spiffe://other.domain/workload"), "/health", "", 503, null, 7));

        var rows = recorder.Collect();
        Assert.Equal(2, rows.Count);
        var anonymous = Assert.Single(rows, r => r.Source == PeerIdentityMiddleware.Unauthenticated);
        Assert.Equal(("/", MeteringKinds.NoTenant, 2, 0L, 0L), (anonymous.Operation, anonymous.Tenant, anonymous.StatusClass, anonymous.RequestBytes, anonymous.ResponseBytes));
        var spiffe = Assert.Single(rows, r => r.Source == "spiffe://other.domain/workload");
        Assert.Equal(("/health", MeteringKinds.NoTenant, 5, 7L), (spiffe.Operation, spiffe.Tenant, spiffe.StatusClass, spiffe.ResponseBytes));
    }

    [Fact]
    public void Record_LaterRequestOnConnection_CallerResolvedOnceAndKeptOnConnection()
    {
        var (recorder, metering) = Create();
        var peer = new PeerIdentityFeature("spiffe://acgs.local/svc/vector-search");
        var context = Answered(peer, "/api", null, 200, null, null);

        Record(metering, context);
        var resolved = peer.MeteringSource;
        peer.MeteringSource = recorder.Names.IdOf("kept-on-connection"); // what a later request must use without resolving again
        Record(metering, context);

        Assert.Equal(recorder.Names.IdOf("vector-search"), resolved);
        var rows = recorder.Collect();
        Assert.Equal(1L, Assert.Single(rows, r => r.Source == "vector-search").Count);
        Assert.Equal(1L, Assert.Single(rows, r => r.Source == "kept-on-connection").Count);
    }

    [Fact]
    public void Record_TenantAndOperationChangeOnConnection_EachRequestRecordedUnderItsOwn()
    {
        var (recorder, metering) = Create();
        var peer = new PeerIdentityFeature("spiffe://acgs.local/ns/governance/sa/vector-search");

        Record(metering, Answered(peer, "/api/entries/7", "tenant-a", 200, null, null));
        Record(metering, Answered(peer, "/api/entries/8", "tenant-a", 200, null, null));
        Record(metering, Answered(peer, "/health", "tenant-b", 200, null, null));
        Record(metering, Answered(peer, "/api", null, 200, null, null));
        Record(metering, Answered(peer, "/api", "tenant-a", 200, null, null));
        Record(metering, Answered(peer, "/apix", "tenant-ab", 200, null, null));

        var rows = recorder.Collect();
        Assert.Equal(4, rows.Count);
        Assert.Equal(3L, Assert.Single(rows, r => r is { Operation: "/api", Tenant: "tenant-a" }).Count);
        Assert.Equal(1L, Assert.Single(rows, r => r is { Operation: "/api", Tenant: MeteringKinds.NoTenant }).Count);
        Assert.Equal(1L, Assert.Single(rows, r => r is { Operation: "/health", Tenant: "tenant-b" }).Count);
        Assert.Equal(1L, Assert.Single(rows, r => r is { Operation: "/apix", Tenant: "tenant-ab" }).Count);
    }

    [Fact]
    public void TenantOf_ConnectionHintOfAnotherName_IdOfTheRequestsOwnTenantAndHintUpdated()
    {
        var (recorder, metering) = Create();
        var peer = new PeerIdentityFeature("spiffe://acgs.local/svc/vector-search") { MeteringTenant = recorder.Names.IdOf("tenant-b") };
        var headers = new HeaderDictionary { [RateLimits.TenantHeader] = "tenant-a" };

        var tenant = metering.TenantOf(headers, peer);

        Assert.Equal(recorder.Names.IdOf("tenant-a"), tenant);
        Assert.Equal(tenant, peer.MeteringTenant);
    }

    [Fact]
    public void IdOf_HintOfSameOtherOrNoName_IdOfTheNameItself()
    {
        var (recorder, metering) = Create();
        var hint = recorder.Names.IdOf("tenant-a");
        var peer = new PeerIdentityFeature("spiffe://acgs.local/svc/vector-search") { MeteringTenant = hint };
        var headers = new HeaderDictionary { [RateLimits.TenantHeader] = "tenant-a" };

        Assert.Equal(hint, metering.TenantOf(headers, peer));
        Assert.Equal(hint, recorder.Names.IdOf("tenant-a", hint));
        Assert.Equal(recorder.Names.IdOf("tenant-b"), recorder.Names.IdOf("tenant-b", hint));
        Assert.Equal(hint, recorder.Names.IdOf("tenant-a", -1));
        Assert.Equal(hint, recorder.Names.IdOf("tenant-a", MeterNames.MaxNames + 5));
    }

    private static (UsageRecorder Recorder, InboundMetering Metering) Create()
    {
        var recorder = new UsageRecorder();
        return (recorder, new InboundMetering(recorder));
    }

    /// <summary>Records <paramref name="context"/> as the telemetry middleware's completion callback does: with the connection's peer feature and the status it read.</summary>
    private static void Record(InboundMetering metering, HttpContext context) =>
        metering.Record(context, context.Features.Get<PeerIdentityFeature>(), context.Response.StatusCode, 0);

    private static DefaultHttpContext Answered(PeerIdentityFeature? peer, string path, string? tenant, int status, long? requestLength, long? responseLength)
    {
        var context = new DefaultHttpContext();
        if (peer is not null)
        {
            context.Features.Set(peer);
        }

        context.Request.Path = path;
        if (tenant is not null)
        {
            context.Request.Headers[RateLimits.TenantHeader] = tenant;
        }

        context.Request.ContentLength = requestLength;
        context.Response.StatusCode = status;
        context.Response.ContentLength = responseLength;
        return context;
    }
}
