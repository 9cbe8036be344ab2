// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Tests.Identity;

/// <summary>
/// A Kestrel endpoint that answers TokenReview (authentication.k8s.io/v1) and pod reads as a Kubernetes API server
/// would: token <c>good</c> (shop/orders, pod orders-1 annotated with the default hash), <c>wrong-audience</c>,
/// <c>other-pod-hash</c> (its pod declares another hash), <c>user</c> (not a ServiceAccount); anything else is not authenticated.
/// </summary>
internal sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeKubernetesApi(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>The audiences each review asked for.</summary>
    public List<string> RequestedAudiences { get; } = [];

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeKubernetesApi? self = null;
        app.MapPost("/apis/authentication.k8s.io/v1/tokenreviews", async (HttpContext context) =>
        {
            var review = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!;
            var token = (string?)review["spec"]?["token"];
            var audience = (string?)review["spec"]?["audiences"]?[0] ?? string.Empty;
            lock (self!.RequestedAudiences)
            {
                self.RequestedAudiences.Add(audience);
            }

            var (authenticated, audiences, user, pod) = token switch
            {
                "good" => (true, audience, "system:serviceaccount:shop:orders", "orders-1"),
                "other-pod-hash" => (true, audience, "system:serviceaccount:shop:orders", "orders-2"),
                "wrong-audience" => (true, "kubernetes.default.svc", "system:serviceaccount:shop:orders", "orders-1"),
                "user" => (true, audience, "alice", (string?)null),
                _ => (false, (string?)null, (string?)null, (string?)null),
            };
            var status = new JsonObject { ["authenticated"] = authenticated };
            if (authenticated)
            {
                status["audiences"] = new JsonArray(audiences);
                status["user"] = new JsonObject
                {
                    ["username"] = user,
                    ["extra"] = pod is null ? new JsonObject() : new JsonObject { ["authentication.kubernetes.io/pod-name"] = new JsonArray(pod) },
                };
            }
            else
            {
                status["error"] = "token has expired";
            }

            review["status"] = status;
            return Results.Text(review.ToJsonString(), "application/json");
        });
        app.MapGet("/api/v1/namespaces/{ns}/pods/{name}", (string ns, string name) => Results.Text(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["annotations"] = new JsonObject { ["acgs.io/constitutional-hash"] = name == "orders-2" ? "0123456789abcdef" : Csrs.Hash },
            },
        }.ToJsonString(), "application/json"));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeKubernetesApi(app, url);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
