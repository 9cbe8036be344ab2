// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;
using Acgs.Contracts.RateLimiting;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Metering;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Metering;

/// <summary>What the metering middleware records for an answered inbound request: every dimension of the key and both lengths.</summary>
public sealed class MeteringMiddlewareTests
{
    [Fact]
    public void Record_MtlsCallerTenantAndLengths_OneRowWithEveryDimension()
    {
        var (recorder, middleware) = Create();
        var context = Answered(new PeerIdentityFeature("spiffe://acgs.local/ns/governance/sa/vector-search"), "/api/entries/7", "tenant-a", 404, 512, 2048);

        middleware.Record(context, 0);
        middleware.Record(context, 0);

        var row = Assert.Single(recorder.Collect());
        Assert.Equal((MeteringKinds.Http, "vector-search", "/api", "tenant-a", 4, 2L, 1024L, 4096L),
            (row.Kind, row.Source, row.Operation, row.Tenant, row.StatusClass, row.Count, row.RequestBytes, row.ResponseBytes));
    }

    [Fact]
    public void Record_NoPeerNoTenantRootNoLengths_UnauthenticatedDashRootZeroBytes()
    {
        var (recorder, middleware) = Create();

        middleware.Record(Answered(null, "/", null, 200, null, null), 0);
        middleware.Record(Answered(new PeerIdentityFeature("spiffe://other.domain/workload"), "/health", "", 503, null, 7), 0);

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
        var (recorder, middleware) = Create();
        var peer = new PeerIdentityFeature("spiffe://acgs.local/svc/vector-search");
        var context = Answered(peer, "/api", null, 200, null, null);

        middleware.Record(context, 0);
        var resolved = peer.MeteringSource;
        peer.MeteringSource = recorder.Names.IdOf("kept-on-connection"); // what a later request must use without resolving again
        middleware.Record(context, 0);

        Assert.Equal(recorder.Names.IdOf("vector-search"), resolved);
        var rows = recorder.Collect();
        Assert.Equal(1L, Assert.Single(rows, r => r.Source == "vector-search").Count);
        Assert.Equal(1L, Assert.Single(rows, r => r.Source == "kept-on-connection").Count);
    }

    private static (UsageRecorder Recorder, MeteringMiddleware Middleware) Create()
    {
        var recorder = new UsageRecorder();
        return (recorder, new MeteringMiddleware(static _ => Task.CompletedTask, new ListenerPorts(), recorder, new MeteringOptions()));
    }

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
