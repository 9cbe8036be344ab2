// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Acgs.Sidecar.Tests.Bus;
using Acgs.Sidecar.Tests.ControlPlaneClient;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Metering;

/// <summary>The traffic of <see cref="MeteringEndToEndTests"/> and the control plane's totals.</summary>
public sealed partial class MeteringEndToEndTests
{
    /// <summary>
    /// <paramref name="requests"/> requests to svc-m's sidecar (its inbound listener), and <paramref name="messages"/>
    /// messages from the tenant's tool on the caller's sidecar to the tenant's inbox on svc-m's, each delivered and
    /// acknowledged; the counts the control plane should see are added to <paramref name="expected"/>.
    /// </summary>
    private static async Task TrafficAsync(HttpClient client, SidecarProcess service, Dictionary<string, HttpClient> senders, Dictionary<string, Socket> inboxes,
        string tenant, int requests, int messages, Dictionary<string, long> expected)
    {
        for (var i = 0; i < requests; i++)
        {
            using var request = SidecarTestHost.Request(HttpMethod.Get, service.Inbound, "/api/entries/" + i);
            request.Headers.Add("x-acgs-tenant", tenant);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        for (var i = 0; i < messages; i++)
        {
            var id = tenant + "-" + Guid.NewGuid().ToString("N");
            var post = senders[tenant].PostAsync("v1/messages", new StringContent(
                $$"""{"message_id":"{{id}}","to_agent":"{{Inbox(tenant)}}","constitutional_hash":"{{AcgsConstants.ConstitutionalHash}}","payload":[{{i}}]}""",
                Encoding.UTF8, "application/json"));
            var deliver = await BusRawHost.ReadFrameAsync(inboxes[tenant]) ?? throw new InvalidOperationException("the inbox closed");
            Assert.Equal((byte)BusFrameType.Deliver, deliver[BusWireConstants.TypeOffset]);
            Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(deliver.AsSpan(BusWireConstants.HeaderSize), out var view));
            Assert.Equal(id, Encoding.UTF8.GetString(view.MessageId));
            await BusRawHost.SendAsync(inboxes[tenant], w => BusFrameWriter.WriteAck(w, id));
            using var response = await post;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Add(expected, "svc-m/http/" + tenant, requests);
        Add(expected, "svc-caller/bus/" + tenant, messages);
    }

    /// <summary>The control plane's totals (rendered) once they equal <paramref name="expected"/>, else the last ones read.</summary>
    private static async Task<string> ArrivedAsync(ControlPlaneProcess plane, Dictionary<string, long> expected, TimeSpan timeout)
    {
        var want = Render(expected);
        return await Eventually.ValueAsync(async () => Render(await TotalsAsync(plane)), totals => totals == want, timeout);
    }

    /// <summary>Every count over all time by service, kind and tenant (<c>svc-m/http/tenant-a</c>); null when the control plane is unreachable.</summary>
    private static async Task<Dictionary<string, long>?> TotalsAsync(ControlPlaneProcess plane)
    {
        using var client = new HttpClient { BaseAddress = plane.Address, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var answer = JsonNode.Parse(await client.GetStringAsync("/api/v1/metering?from=0&group_by=service,kind,tenant"))!;
            var totals = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var row in answer["totals"]!.AsArray())
            {
                var group = row!["group"]!;
                Add(totals, $"{group["service"]}/{group["kind"]}/{group["tenant"]}", (long)row["count"]!);
            }

            return totals;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static void Add(Dictionary<string, long> totals, string key, long count) => totals[key] = totals.GetValueOrDefault(key) + count;

    private static string Render(Dictionary<string, long>? totals) => totals is null
        ? "(control plane unreachable)"
        : string.Join('\n', totals.Where(t => t.Value != 0).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key}={t.Value}")));
}
