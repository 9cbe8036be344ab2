// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;
using System.Text;
using Acgs.Contracts.Authorization;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Authorization;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Telemetry;
using Acgs.Sidecar.Tests.Bus;
using Acgs.Sidecar.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acgs.Sidecar.Tests.Authorization;

/// <summary>The bus obeys the Authorization policies of the recipient's service: a refused message gets a <c>forbidden</c> error frame.</summary>
public sealed class BusAuthorizationTests
{
    private static AuthorizationConfig Only(AuthorizationAction action, params string[] from) =>
        new() { Policies = [new AuthorizationPolicyConfig { Name = "bus-policy", Action = action, Rules = [new AuthorizationRule { From = [.. from] }] }] };

    private static async Task<(ConfigApplier Applier, BusAuthorization Authorization, AuthorizationMetrics Metrics)> CreateAsync(AuthorizationConfig? authorization)
    {
        var sidecar = new SidecarMetrics();
        var metrics = new AuthorizationMetrics(sidecar);
        var options = SidecarTestHost.Options(1, "orders");
        var applier = new ConfigApplier(options, new NoYarpValidation(), new CircuitBreakerRegistry(), TimeProvider.System, NullLogger<ConfigApplier>.Instance,
            metrics: sidecar, authorization: metrics);
        await ApplyAsync(applier, authorization, "v1");
        return (applier, new BusAuthorization(applier, options, new AuthorizationLog(TimeProvider.System, NullLogger<AuthorizationLog>.Instance)), metrics);
    }

    private static async Task ApplyAsync(ConfigApplier applier, AuthorizationConfig? authorization, string version)
    {
        var result = await applier.ApplyAsync(SidecarTestHost.Snapshot("orders", version) with { Authorization = authorization }, ConfigSources.Bootstrap);
        Assert.True(result.Accepted, string.Join("; ", result.Errors));
    }

    [Fact]
    public async Task Allows_PeerLinkWithoutVerifiedIdentity_JudgedAsUnauthenticated()
    {
        var (applier, authorization, _) = await CreateAsync(Only(AuthorizationAction.Deny, "unauthenticated"));
        using var disposable = applier;

        Assert.False(authorization.Allows(fromPeer: true));
        Assert.True(authorization.Allows(fromPeer: true, "spiffe://acgs.local/svc/frontend"));
        Assert.True(authorization.Allows(fromPeer: false)); // sent through this sidecar: its own service
    }

    [Fact]
    public async Task Allows_NoAuthorization_EveryMessageAllowed()
    {
        var (applier, authorization, _) = await CreateAsync(null);
        using var disposable = applier;

        Assert.True(authorization.Allows(fromPeer: true));
    }

    [Fact]
    public async Task Send_SenderServiceNotAllowed_ForbiddenErrorFrameCountedAndNothingDelivered()
    {
        var (applier, authorization, metrics) = await CreateAsync(Only(AuthorizationAction.Allow, "frontend"));
        using var disposable = applier;
        await using var host = await BusRawHost.StartAsync();
        host.Router.Authorization = authorization;
        using var recipient = await host.RegisterAsync("agent-b");
        using var sender = await host.RegisterAsync("agent-a");

        await SendAsync(sender, "m-1");
        var error = await BusRawHost.ReadFrameAsync(sender);

        Assert.Equal((byte)BusFrameType.Error, error![BusWireConstants.TypeOffset]);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseError(error.AsSpan(BusWireConstants.HeaderSize), out var view));
        Assert.Equal(BusErrorCode.Forbidden, view.Code);
        Assert.Equal("m-1", Encoding.UTF8.GetString(view.MessageId));
        Assert.Equal(1, metrics.Decisions.WithLabels("deny", "default").Value);

        await ApplyAsync(applier, Only(AuthorizationAction.Allow, "orders"), "v2");
        await SendAsync(sender, "m-2");
        var deliver = await BusRawHost.ReadFrameAsync(recipient);
        Assert.Equal((byte)BusFrameType.Deliver, deliver![BusWireConstants.TypeOffset]);
    }

    [Fact]
    public async Task PostMessage_SenderServiceNotAllowed_Is403Forbidden()
    {
        var (applier, authorization, _) = await CreateAsync(Only(AuthorizationAction.Deny, "orders"));
        using var disposable = applier;
        await using var host = await BusRawHost.StartAsync();
        host.Router.Authorization = authorization;
        using var recipient = await host.RegisterAsync("agent-b");
        using var http = await host.SenderAsync("tool");

        using var response = await http.PostAsync("v1/messages", new StringContent(
            "{\"from_agent\":\"tool\",\"to_agent\":\"agent-b\",\"tenant_id\":\"t1\",\"constitutional_hash\":\"cdd01ef066bc6cf2\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("\"forbidden\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task SendAsync(Socket sender, string id) => BusRawHost.SendAsync(sender, w =>
        BusFrameWriter.WriteMessage(w, BusFrameType.Send, new BusMessageEnvelope(id, "agent-a", "agent-b", "t1", AcgsConstants.ConstitutionalHash), "{}"u8));
}
