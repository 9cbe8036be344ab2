// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Core;

namespace Acgs.Perf.Convergence;

/// <summary>
/// <c>--calls K</c>: before the watchers connect, one Egress policy per service (<c>svc-i</c> calls the next K services in a
/// ring, <c>svc-(i+1)</c> … <c>svc-(i+K)</c> modulo the service count), created and activated through the admin API, so each
/// snapshot holds K clusters instead of every one. K = 0: none (every snapshot holds the whole mesh).
/// </summary>
internal static class EgressPolicies
{
    /// <summary>The services <c>svc-<paramref name="index"/></c> calls.</summary>
    public static JsonArray Calls(int index, int services, int calls) =>
        [.. Enumerable.Range(1, calls).Select(k => (JsonNode)("svc-" + ((index + k) % services).ToString(CultureInfo.InvariantCulture)))];

    /// <summary>Creates and activates the Egress policy of every service through <paramref name="admin"/> (a client with the admin token).</summary>
    public static async Task ActivateAsync(HttpClient admin, int services, int calls)
    {
        ArgumentNullException.ThrowIfNull(admin);
        for (var i = 0; i < services && calls > 0; i++)
        {
            var service = "svc-" + i.ToString(CultureInfo.InvariantCulture);
            var id = "bench-egress-" + service;
            var content = new JsonObject
            {
                ["kind"] = "Egress",
                ["name"] = id,
                ["target"] = service,
                ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
                ["spec"] = new JsonObject { ["services"] = Calls(i, services, calls) },
            };
            await Send(admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = id })).ConfigureAwait(false);
            await Send(admin.PostAsJsonAsync($"/api/v1/policies/{id}/versions", new JsonObject { ["version"] = "1.0.0", ["content"] = content })).ConfigureAwait(false);
            await Send(admin.PutAsync($"/api/v1/policies/{id}/activate?version=1.0.0", null)).ConfigureAwait(false);
        }
    }

    private static async Task Send(Task<HttpResponseMessage> request)
    {
        using var response = await request.ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }
    }
}
